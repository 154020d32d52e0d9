import { cpSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createDb, type Db } from "../src/index.ts";
import { MIGRATIONS_DIR, migrate } from "../src/migrate.ts";
import { adminQuery, withDatabase } from "../src/testing/test-database.ts";

const serverUrl = inject("testServerUrl");
const name = `redial_upgrade_${process.pid}`;
let db: Db | undefined;

afterAll(async () => {
  await db?.destroy();
  await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

/** The migrations up to `last` (a 4-digit version), as a deployment running that version has them. */
function migrationsUpTo(last: string): string {
  const dir = mkdtempSync(join(tmpdir(), "redial-migrations-"));
  for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f.slice(0, 4) <= last))
    cpSync(join(MIGRATIONS_DIR, file), join(dir, file));
  return dir;
}

/** Each rollup as reports read it, summed per group (shards and deltas folded away). */
async function rollups(db: Db) {
  const { rows } = await sql<{ rollup: string; key: string; n: string }>`
    SELECT 'leads' AS rollup, concat_ws('|', created_hour, status, final_outcome, last_outcome, ever_transferred) AS key,
           sum(leads)::text AS n
    FROM report_leads GROUP BY 1, 2 HAVING sum(leads) <> 0
    UNION ALL
    SELECT 'calls', concat_ws('|', campaign_day, outcome),
           concat_ws('|', sum(calls), sum(answered), sum(transferred), sum(cost))
    FROM report_call_days GROUP BY 1, 2 HAVING sum(calls) <> 0
    UNION ALL
    SELECT 'lead_days', concat_ws('|', campaign_day, prev_day), sum(leads)::text
    FROM report_lead_days GROUP BY 1, 2 HAVING sum(leads) <> 0
    ORDER BY 1, 2`.execute(db);
  return rows;
}

describe("upgrading a live database (0005 → latest)", () => {
  it("keeps every report count, and the calls in progress at the deploy hold DIAL_MAX_CONCURRENT slots", async () => {
    await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
    const url = withDatabase(serverUrl, name);
    expect((await migrate(url, migrationsUpTo("0005"))).version).toBe(5);
    const live = createDb(url, { max: 2 });
    db = live;

    // A history written through 0005's triggers: leads in every status, placed, ended,
    // transferred and not-placed calls over two days, and three calls in progress.
    const leads = await db
      .insertInto("leads")
      .values(Array.from({ length: 6 }, (_, i) => ({ phone: `+1305555080${i}`, state: "FL", zip: "33130" })))
      .returning("id")
      .execute();
    const ids = leads.map((lead) => lead.id);
    const attempt = (lead: number, n: number, day: string, extra: Record<string, unknown>) => ({
      lead_id: ids[lead] as number,
      attempt_number: n,
      campaign_day: day,
      dialed_at: new Date(`${day}T15:00:0${n}Z`),
      ...extra,
    });
    const ended = (outcome: string, more: Record<string, unknown> = {}) => ({
      state: "ended",
      outcome,
      ended_at: new Date("2026-11-27T15:05:00Z"),
      answered: outcome !== "NO_ANSWER",
      price: 0.09,
      ...more,
    });
    await db
      .insertInto("call_attempts")
      .values([
        attempt(0, 1, "2026-11-26", ended("NO_ANSWER")),
        attempt(0, 2, "2026-11-27", ended("TRANSFERRED", { transferred: true })),
        attempt(1, 1, "2026-11-27", ended("SALE")),
        attempt(2, 1, "2026-11-27", { state: "not_placed", ended_at: new Date() }),
        attempt(3, 1, "2026-11-27", { state: "dialing" }),
        attempt(4, 1, "2026-11-27", { state: "in_progress", bland_call_id: "call-up-4" }),
        attempt(5, 1, "2026-11-26", ended("VOICEMAIL")),
        attempt(5, 2, "2026-11-27", { state: "in_progress", bland_call_id: "call-up-5" }),
      ] as never)
      .execute();
    await db
      .updateTable("leads")
      .set({ status: "completed", final_outcome: "SALE", last_outcome: "SALE" })
      .where("id", "=", ids[1] as number)
      .execute();
    await db
      .updateTable("leads")
      .set({ status: "paused" })
      .where("id", "=", ids[2] as number)
      .execute();
    const before = await rollups(db);
    expect(before.length).toBeGreaterThan(5);

    const upgraded = await migrate(url);
    // Every numbered migration after 0005 (0006 … the latest), then the repeatable folder.
    expect(upgraded.applied).toEqual(
      readdirSync(MIGRATIONS_DIR)
        .filter((f) => /^\d{4}\./.test(f) && f.slice(0, 4) > "0005")
        .sort(),
    );
    expect(upgraded.applied.slice(0, 5)).toEqual([
      "0006.do.report-rollup-deltas.sql",
      "0007.do.dial-slots.sql",
      "0008.do.report-trigger-fast-path.sql",
      "0009.do.report-first-call-fast-path.sql",
      "0010.do.dial-loop-statements.sql",
    ]);
    expect(upgraded.repeatable.length).toBeGreaterThan(0);
    expect(await rollups(db)).toEqual(before);

    const { rows: slots } = await sql<{ slot: number; lead_id: number }>`
      SELECT s.slot, a.lead_id FROM dial_slots s JOIN call_attempts a ON a.id = s.attempt_id ORDER BY s.slot`.execute(
      db,
    );
    expect(slots.map((s) => s.slot)).toEqual([1, 2, 3]);
    expect(slots.map((s) => s.lead_id).sort()).toEqual([ids[3], ids[4], ids[5]].sort());

    // With DIAL_MAX_CONCURRENT=3 a new dial finds no slot until one of those calls ends.
    const next = await db
      .insertInto("call_attempts")
      .values(attempt(2, 2, "2026-11-28", { state: "dialing" }) as never)
      .returning("id")
      .executeTakeFirstOrThrow();
    await sql`SELECT dial_slots_ensure(3)`.execute(db);
    const take = async () =>
      (await sql<{ slot: number | null }>`SELECT dial_slot_take(${next.id}, 3) AS slot`.execute(live)).rows[0]
        ?.slot;
    expect(await take()).toBeNull();
    await db
      .updateTable("call_attempts")
      .set({ state: "ended", outcome: "BUSY", ended_at: new Date() })
      .where("bland_call_id", "=", "call-up-4")
      .execute();
    expect(await take()).not.toBeNull();
  });
});

describe("upgrading a live database (0020 → latest)", () => {
  const upgraded = `${name}_0021`;
  afterAll(async () => {
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${upgraded} WITH (FORCE)`);
  });

  it("a lead's dials given back before 0021 stop counting in its attempts_total; other leads are not written", async () => {
    await adminQuery(serverUrl, `CREATE DATABASE ${upgraded}`);
    const url = withDatabase(serverUrl, upgraded);
    expect((await migrate(url, migrationsUpTo("0020"))).version).toBe(20);
    const old = createDb(url, { max: 2 });
    try {
      const leads = await old
        .insertInto("leads")
        .values([
          { phone: "+13055550901", attempts_total: 3 },
          { phone: "+13055550902", attempts_total: 2 },
          { phone: "+13055550903", attempts_total: 4 },
        ])
        .returning("id")
        .execute();
      const [given, placed, imported] = leads.map((lead) => lead.id);
      const call = (lead: number | undefined, n: number, state: string) => ({
        lead_id: lead as number,
        attempt_number: n,
        campaign_day: "2026-12-01",
        dialed_at: new Date(`2026-12-01T15:00:0${n}Z`),
        state,
        ...(state === "ended" ? { outcome: "NO_ANSWER", ended_at: new Date("2026-12-01T15:05:00Z") } : {}),
      });
      await old
        .insertInto("call_attempts")
        .values([
          call(given, 1, "ended"),
          call(given, 2, "not_placed"),
          call(given, 3, "ended"),
          call(placed, 1, "ended"),
          call(placed, 2, "ended"),
          // Its count has calls this database does not hold (nothing given back): left as it is.
          call(imported, 1, "ended"),
        ] as never)
        .execute();
      const versionOf = async (id: number | undefined) =>
        (await sql<{ v: string }>`SELECT xmin::text AS v FROM leads WHERE id = ${id}`.execute(old)).rows[0]
          ?.v;
      const untouched = [await versionOf(placed), await versionOf(imported)];

      await migrate(url);
      const totals = await old.selectFrom("leads").select(["id", "attempts_total"]).orderBy("id").execute();
      expect(totals.map((lead) => lead.attempts_total)).toEqual([2, 2, 4]);
      expect([await versionOf(placed), await versionOf(imported)]).toEqual(untouched);
    } finally {
      await old.destroy();
    }
  });
});
