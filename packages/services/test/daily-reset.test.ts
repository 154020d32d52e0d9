import type { TestDatabase } from "@redial/db/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healSchedules, intakeLead, type Runtime, runDailyReset } from "../src/index.ts";
import { startTestRuntime } from "../src/testing/test-runtime.ts";

let database: TestDatabase;
let runtime: Runtime;
beforeAll(async () => {
  ({ database, runtime } = await startTestRuntime());
  // Wednesday 2026-03-11 00:01 EDT, the daily reset's minute.
  runtime.ctx.now = () => new Date("2026-03-11T04:01:00Z");
});
afterAll(async () => {
  await runtime.stop();
  await database.drop();
});

async function jobsOf(leadId: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'dial' AND singleton_key = ${String(leadId)} AND state IN ('created', 'retry', 'active')`.execute(
    runtime.ctx.db,
  );
  return rows[0]?.n ?? 0;
}

describe("the daily reset (SQL function from migration 0002, then the self-healing sweep)", () => {
  it("leads at their daily max become active again, and an active lead that lost its job gets one", async () => {
    const capped = await intakeLead(runtime.ctx, { phone: "2125550301" });
    const orphan = await intakeLead(runtime.ctx, { phone: "2125550302" });
    const done = await intakeLead(runtime.ctx, { phone: "2125550303" });
    const db = runtime.ctx.db;
    await db
      .updateTable("leads")
      .set({ status: "daily_max_reached" })
      .where("id", "=", capped.lead.id)
      .execute();
    await db
      .updateTable("leads")
      .set({ status: "completed", final_outcome: "SALE" })
      .where("id", "=", done.lead.id)
      .execute();
    await sql`DELETE FROM pgboss.job WHERE name = 'dial' AND singleton_key IN (${String(orphan.lead.id)}, ${String(done.lead.id)})`.execute(
      db,
    );
    expect(await jobsOf(orphan.lead.id)).toBe(0);

    const result = await runDailyReset(runtime.ctx);

    expect(result).toEqual({ reset: 1, healed: 1 });
    const rows = await db.selectFrom("leads").select(["id", "status"]).orderBy("id").execute();
    expect(rows.map((r) => r.status)).toEqual(["active", "active", "completed"]);
    expect(await jobsOf(capped.lead.id)).toBe(1);
    expect(await jobsOf(orphan.lead.id)).toBe(1);
    expect(await jobsOf(done.lead.id)).toBe(0);
    // Once healed, a second sweep finds nothing to do.
    expect(await healSchedules(runtime.ctx)).toBe(0);
  });
});

describe("the daily reset in batches (each its own transaction, in id order)", () => {
  async function leadsAtDailyMax(count: number, firstPhone: number): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < count; i++)
      ids.push((await intakeLead(runtime.ctx, { phone: String(firstPhone + i) })).lead.id);
    await runtime.ctx.db
      .updateTable("leads")
      .set({ status: "daily_max_reached" })
      .where("id", "in", ids)
      .execute();
    return ids;
  }

  async function statusesOf(ids: readonly number[]): Promise<string[]> {
    const rows = await runtime.ctx.db
      .selectFrom("leads")
      .select(["id", "status"])
      .where("id", "in", ids)
      .orderBy("id")
      .execute();
    return rows.map((row) => row.status);
  }

  it("makes every lead at its daily maximum active, each counted once, whatever the batch size", async () => {
    const ids = await leadsAtDailyMax(5, 2125550401);
    const paused = (await intakeLead(runtime.ctx, { phone: "2125550409" })).lead.id;
    await runtime.ctx.db.updateTable("leads").set({ status: "paused" }).where("id", "=", paused).execute();

    expect(await runDailyReset(runtime.ctx, 2)).toMatchObject({ reset: 5 });

    expect(await statusesOf(ids)).toEqual(["active", "active", "active", "active", "active"]);
    expect(await statusesOf([paused])).toEqual(["paused"]);
    expect(await runDailyReset(runtime.ctx, 2)).toMatchObject({ reset: 0 });
  });

  it("walks its id range in lanes at once: every lead reset once and counted once, whatever the lanes and batches", async () => {
    for (const [lanes, batch, phone] of [
      [3, 2, 2125550431],
      [4, 3, 2125550441],
      [2, 5000, 2125550451],
    ] as const) {
      const ids = await leadsAtDailyMax(7, phone);
      expect(await runDailyReset(runtime.ctx, batch, lanes)).toMatchObject({ reset: 7 });
      expect(new Set(await statusesOf(ids))).toEqual(new Set(["active"]));
    }
  });

  it("a lead back at its daily maximum after its batch was reset is not reset again in the same pass", async () => {
    const [first, second, third, fourth] = await leadsAtDailyMax(4, 2125550411);
    const db = runtime.ctx.db;
    const batch = async (afterId: number) =>
      (
        await sql<{ reset: number; last_id: number | null }>`
          SELECT reset, last_id FROM redial_daily_reset(${afterId}, 2)`.execute(db)
      ).rows[0];
    const firstBatch = await batch((first ?? 0) - 1);
    expect(firstBatch).toEqual({ reset: 2, last_id: second });
    // Dialed to its maximum again while the pass goes on (a later batch must not touch it).
    await db
      .updateTable("leads")
      .set({ status: "daily_max_reached" })
      .where("id", "=", Number(first))
      .execute();
    expect(await batch(Number(firstBatch?.last_id))).toEqual({ reset: 2, last_id: fourth });
    expect(await statusesOf([Number(first), Number(second), Number(third), Number(fourth)])).toEqual([
      "daily_max_reached",
      "active",
      "active",
      "active",
    ]);
    await db.updateTable("leads").set({ status: "active" }).where("id", "=", Number(first)).execute();
  });

  it("a lead being written while the reset passes is waited for: reset if still at its maximum, left if paused meanwhile", async () => {
    const [kept, paused, other] = await leadsAtDailyMax(3, 2125550421);
    // A writer (a dial, an operator's pause) holds both leads' rows when the reset comes.
    let resetting: Promise<{ reset: number }> | undefined;
    await runtime.ctx.db.transaction().execute(async (trx) => {
      await sql`SELECT id FROM leads WHERE id IN (${kept}, ${paused}) FOR UPDATE`.execute(trx);
      await sql`UPDATE leads SET status = 'paused' WHERE id = ${paused}`.execute(trx);
      resetting = runDailyReset(runtime.ctx, 1);
      await waitForLockWait();
    });
    expect(await resetting).toMatchObject({ reset: 2 });
    expect(await statusesOf([Number(kept), Number(paused), Number(other)])).toEqual([
      "active",
      "paused",
      "active",
    ]);
  });
});

/** Until some backend of this database waits for a row lock (deadline: 10 s). */
async function waitForLockWait(): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { rows } = await sql`
      SELECT 1 FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(runtime.ctx.db);
    if (rows.length > 0) return;
    if (Date.now() > deadline) throw new Error("the reset never waited for the writer's lock");
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("the heal sweep", () => {
  it("a lead that cannot be rescheduled is skipped: the leads after it still get their job", async () => {
    const broken = await intakeLead(runtime.ctx, { phone: "2125550311" });
    const fine = await intakeLead(runtime.ctx, { phone: "2125550312" });
    const db = runtime.ctx.db;
    // A zone name no engine can use (a corrupted row): rescheduling this lead throws.
    await sql`UPDATE leads SET timezones = '{Not/AZone}' WHERE id = ${broken.lead.id}`.execute(db);
    await sql`DELETE FROM pgboss.job WHERE name = 'dial' AND singleton_key IN (${String(broken.lead.id)}, ${String(fine.lead.id)})`.execute(
      db,
    );
    expect(await healSchedules(runtime.ctx)).toBeGreaterThanOrEqual(1);
    expect([await jobsOf(broken.lead.id), await jobsOf(fine.lead.id)]).toEqual([0, 1]);
    // A batch in which nothing can be healed ends the sweep instead of looping on it.
    expect(await healSchedules(runtime.ctx, 1)).toBe(0);
  });
});
