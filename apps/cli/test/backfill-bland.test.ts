import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BackfillWorld, type Expected, expectedFor, startBackfillWorld } from "./backfill-harness.ts";

describe("redial backfill bland", () => {
  let world: BackfillWorld;
  let expected: Expected;

  beforeAll(async () => {
    world = await startBackfillWorld();
    expected = await expectedFor(world.simulator);
  });
  afterAll(async () => world?.close());

  it("a dry run writes nothing and reports exactly what the real run then does", async () => {
    const before = await world.rowCounts();
    const output: string[] = [];
    const dry = await world.bland({ dryRun: true, json: true }, { output });
    expect(await world.rowCounts()).toEqual(before);
    expect(JSON.parse(output[0] ?? "{}").phones.added).toHaveLength(expected.count("redial"));

    const real = await world.bland({});
    const { runId: _dryId, dryRun: _d, ...dryNumbers } = dry;
    const { runId: _realId, dryRun: _r, ...realNumbers } = real;
    expect(dryNumbers).toEqual({ ...realNumbers, phones: dryNumbers.phones });
  });

  it("the summary matches the simulator's history for the range", async () => {
    const [summary] = await lastSummaries(world);
    expect(summary).toMatchObject({
      fetched: expected.calls,
      imported: expected.calls - expected.invalidPhones,
      alreadyKnown: 0,
      failed: expected.invalidPhones,
      uniquePhones: expected.phones.size,
    });
    const runs = await world.database.db
      .selectFrom("call_attempts")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("origin", "=", "backfill")
      .where("result_source", "=", "backfill")
      .executeTakeFirstOrThrow();
    expect(runs.n).toBe(expected.calls - expected.invalidPhones);
  });

  it("queues every phone that is neither SALE nor DNC, and only those", async () => {
    const leads = await world.database.db
      .selectFrom("leads")
      .select(["phone", "status", "final_outcome", "waiting_reason"])
      .execute();
    const byPhone = new Map(leads.map((l) => [l.phone, l]));
    for (const [phone, decision] of expected.phones) {
      const lead = byPhone.get(phone);
      if (decision === "redial") expect(lead?.status, phone).not.toBe("paused");
      if (decision === "redial") expect(lead?.status, phone).not.toBe("completed");
      if (decision === "sale") expect(lead?.final_outcome, phone).toBe("SALE");
      if (decision === "dnc") expect(lead?.final_outcome, phone).toBe("DNC");
      if (decision === "not_found") expect(lead?.status, phone).toBe("paused");
    }
    const dialJobs = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'dial'`.execute(world.database.db);
    expect(dialJobs.rows[0]?.n).toBe(expected.count("redial"));
  });

  it("a SALE phone is not queued, a DNC phone lands on dnc_phones, an unknown phone is listed with its reason", async () => {
    const sale = [...expected.phones].find(([, d]) => d === "sale")?.[0];
    const dnc = [...expected.phones].filter(([, d]) => d === "dnc").map(([p]) => p);
    const unknown = [...expected.phones].find(([, d]) => d === "not_found")?.[0];
    expect(sale && dnc.length > 0 && unknown).toBeTruthy();
    const saleLead = await world.database.db
      .selectFrom("leads")
      .selectAll()
      .where("phone", "=", sale ?? "")
      .executeTakeFirstOrThrow();
    expect(saleLead).toMatchObject({ status: "completed", final_outcome: "SALE", next_attempt_at: null });
    const onList = await world.database.db
      .selectFrom("dnc_phones")
      .select("phone")
      .where("phone", "in", dnc)
      .execute();
    expect(onList).toHaveLength(dnc.length);
    const output: string[] = [];
    const again = await world.bland({ json: true }, { output });
    const listed = JSON.parse(output[0] ?? "{}").phones.notFound as { phone: string; reason: string }[];
    expect(listed.find((p) => p.phone === unknown)?.reason).toMatch(/no lead with this phone/);
    expect(again.decisions.notFound).toBe(expected.count("not_found"));
  });

  it("running it again adds nothing", async () => {
    const before = await world.rowCounts();
    const again = await world.bland({});
    const after = await world.rowCounts();
    for (const table of ["leads", "call_attempts", "dnc_phones", "pgboss.job"])
      expect(after[table], table).toBe(before[table]);
    expect(again.calls).toMatchObject({
      imported: 0,
      alreadyKnown: expected.calls - expected.invalidPhones,
      leadsCreated: 0,
    });
    expect(again.queue.added).toBe(0);
    expect(again.queue.alreadyQueued).toBe(expected.count("redial"));
    expect(again.decisions).toMatchObject({
      shouldRedial: expected.count("redial"),
      skipSale: expected.count("sale"),
      skipDnc: expected.count("dnc"),
      notFound: expected.count("not_found"),
      errors: 0,
    });
    expect(again.expectedDailyCalls).toBe(expected.count("redial") * again.maxPerDay);
  });
});

/** Import counters of the runs so far, oldest first, flattened with their unique phones. */
async function lastSummaries(world: BackfillWorld) {
  const runs = await sql<{ counters: Record<string, number>; phones: number }>`
    SELECT r.counters, (SELECT count(*)::int FROM backfill_phones p WHERE p.run_id = r.id) AS phones
    FROM backfill_runs r ORDER BY r.id`.execute(world.database.db);
  return runs.rows.map((r) => ({ ...r.counters, uniquePhones: r.phones }));
}
