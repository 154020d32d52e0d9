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
