import type { BackfillSummary } from "@redial/services";
import { type RunningSimulator, startSimulator } from "@redial/simulator";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BackfillWorld, HISTORY, startBackfillWorld } from "./backfill-harness.ts";

/** Everything a run leaves behind that must not depend on interruptions (ids aside). */
async function finalState(world: BackfillWorld) {
  const db = world.database.db;
  const leads = await db
    .selectFrom("leads")
    .select(["phone", "status", "final_outcome", "attempts_total", "last_outcome"])
    .orderBy("phone")
    .execute();
  const attempts = await sql<{ phone: string; n: number; calls: string }>`
    SELECT l.phone, count(*)::int AS n, string_agg(a.bland_call_id || ':' || a.attempt_number || ':' || a.outcome, ',' ORDER BY a.attempt_number) AS calls
    FROM call_attempts a JOIN leads l ON l.id = a.lead_id GROUP BY l.phone ORDER BY l.phone`.execute(db);
  const dnc = await db.selectFrom("dnc_phones").select("phone").orderBy("phone").execute();
  const jobs = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'dial'`.execute(db);
  return { leads, attempts: attempts.rows, dnc, dialJobs: jobs.rows[0]?.n };
}

function numbers(summary: BackfillSummary) {
  const { runId: _id, interrupted: _i, phones: _p, ...rest } = summary;
  return rest;
}

describe("an interrupted backfill resumes where it stopped", () => {
  let simulator: RunningSimulator;
  let straight: BackfillWorld;
  let interrupted: BackfillWorld;

  beforeAll(async () => {
    simulator = await startSimulator(HISTORY);
    straight = await startBackfillWorld(simulator);
    interrupted = await startBackfillWorld(simulator);
  });
  afterAll(async () => {
    await straight?.close();
    await interrupted?.close();
    await simulator?.close();
  });

  it("stopped after K calls and after K phones, then resumed twice, it ends as an uninterrupted run", async () => {
    const expected = await straight.bland({ importBatchSize: 25 });

    const first = new AbortController();
    const stopped = await interrupted.bland(
      { importBatchSize: 25 },
      { signal: first.signal, onProgress: (p) => p.phase === "import" && p.done >= 60 && first.abort() },
    );
    expect(stopped.interrupted).toBe(true);
    expect(stopped.calls.fetched).toBe(75);

    const second = new AbortController();
    const stoppedAgain = await interrupted.bland(
      { importBatchSize: 25, resume: true, batchSize: 10 },
      { signal: second.signal, onProgress: (p) => p.phase === "check" && p.done >= 30 && second.abort() },
    );
    expect(stoppedAgain.interrupted).toBe(true);
    expect(stoppedAgain.calls).toEqual(expected.calls);

    const resumed = await interrupted.bland({ importBatchSize: 25, resume: true, batchSize: 10 });
    expect(resumed.interrupted).toBe(false);
    expect(numbers(resumed)).toEqual(numbers(expected));
    expect(await finalState(interrupted)).toEqual(await finalState(straight));
  });

  it("--resume with nothing interrupted says so", async () => {
    await expect(straight.bland({ resume: true })).rejects.toMatchObject({ code: "nothing_to_resume" });
  });
});
