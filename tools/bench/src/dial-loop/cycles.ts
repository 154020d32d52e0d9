import { setTimeout as delay } from "node:timers/promises";
import { intakeLeadsBulk } from "@redial/services";
import type { WorkerShape } from "./baseline.ts";
import {
  type BackendTicks,
  backendMsBetween,
  backendTicks,
  type CpuSample,
  cpuBetween,
  cpuSample,
  perUnit,
} from "./cpu.ts";
import type { BenchLoop } from "./loop.ts";
import type { ScratchDatabase } from "./scratch-database.ts";
import { percentile, waitForProgress } from "./stats.ts";

export interface CycleResult {
  leads: number;
  /** Cycles timed: the rate is `cycles / seconds`, from the intake's commit to the cycles-th result. */
  cycles: number;
  seconds: number;
  cyclesPerSecond: number;
  /** Every attempt that ended in the phase (the timed ones, then one SALE per lead to stop them). */
  endedAttempts: number;
  commits: number;
  commitsPerCycle: number;
  /** CPU over the timed window, ms per cycle (Node: this process, i.e. simulator + API + workers; PostgreSQL: the whole server). */
  cpuPerCycle: CpuSample;
  /** What the dial jobs returned, e.g. {placed: 3200, not_due: 12}. */
  dialResults: Record<string, number>;
  /** Dial → result processed (our clock), ms. */
  dialToResultMs: { p50: number; p99: number };
  /** Result processed → the lead's next dial (minimum gap 60 ms + queue wait), ms. */
  resultToNextDialMs: { p50: number; p99: number };
}

/** Area code 305 (Miami, Eastern): the cycle phase's leads; 786 (Miami too) for its locked-writes run. */
const CYCLE_PHONE_PREFIX = "+1305";
const LOCKED_CYCLE_PHONE_PREFIX = "+1786";

/**
 * Full call cycles through the production path. N leads are admitted in bulk; each cycle is the
 * lead's dial job → dialLead (transaction, POST /v1/calls to the simulator) → the simulator's
 * signed webhook to the API → recordCallResult (transaction, the next dial job). Every call ends
 * at once as NO_ANSWER, so each lead is redialed 60 ms after its result. Once `cycles` results are
 * in, calls start ending as SALE, which completes each lead on its next call.
 * Commits: from before the API and workers start to after they all stopped (start-up, intake and
 * the SALE round included), minus the bench's own statements.
 */
export async function runCycles(
  database: ScratchDatabase,
  loop: BenchLoop,
  shape: WorkerShape,
  options: { leads: number; cycles: number },
  writes: "optimistic" | "locked" = "optimistic",
): Promise<CycleResult> {
  const prefix = writes === "locked" ? LOCKED_CYCLE_PHONE_PREFIX : CYCLE_PHONE_PREFIX;
  const before = await database.settledCommits();
  const ownBefore = database.ownStatements();
  await loop.configureSimulator({ outcomeWeights: { no_answer: 1 } });
  const system = await loop.startSystem(database.url, shape, {
    optimisticWrites: writes === "optimistic",
  });

  let timing = false;
  let results = 0;
  let lastResultAt = Date.now();
  let finishedAt = 0;
  let cpuAtFinish: CpuSample | undefined;
  let ownAtFinish: Promise<BackendTicks> | undefined;
  const onResult = () => {
    lastResultAt = Date.now();
    if (!timing) return;
    results++;
    if (results === options.cycles) {
      finishedAt = performance.now();
      cpuAtFinish = cpuSample();
      ownAtFinish = database.backendPids().then(backendTicks);
    }
  };
  loop.simulator.state.events.on("webhook-delivered", onResult);

  const rows = Array.from({ length: options.leads }, (_, i) => ({
    phone: `${prefix}${String(5_000_000 + i)}`,
    state: "FL",
    zip: "33130",
    source: "bench",
  }));
  const admitted = await intakeLeadsBulk(system.runtime.ctx, rows);
  const refused = admitted.filter((row) => row.status !== "created");
  if (refused.length > 0) throw new Error(`Bulk intake did not create ${refused.length} bench leads.`);
  const ownAtStart = backendTicks(await database.backendPids());
  const started = performance.now();
  const cpuAtStart = cpuSample();
  timing = true;
  const guard = { system };
  await waitForProgress(
    () => results >= options.cycles,
    () => lastResultAt,
    "call results",
    guard,
  );
  const seconds = (finishedAt - started) / 1000;
  const cpu = {
    ...cpuBetween(cpuAtStart, cpuAtFinish ?? cpuSample()),
    ownPostgresMs: backendMsBetween(
      ownAtStart,
      await (ownAtFinish ?? database.backendPids().then(backendTicks)),
    ),
  };

  // Stop the leads: every call from now on ends as SALE, which completes its lead.
  await loop.configureSimulator({ outcomeWeights: { sale: 1 } });
  await waitForProgress(
    async () => {
      const [row] = await database.query<{ open: number }>(
        `SELECT count(*)::int AS open FROM leads
         WHERE phone LIKE $1 AND (status <> 'completed'
           OR EXISTS (SELECT 1 FROM call_attempts a WHERE a.lead_id = leads.id AND a.state IN ('dialing', 'in_progress')))`,
        [`${prefix}%`],
      );
      await delay(250);
      return row?.open === 0;
    },
    () => lastResultAt,
    "SALE results completing the cycle leads",
    guard,
  );
  loop.simulator.state.events.off("webhook-delivered", onResult);
  const dialResults = Object.fromEntries(system.tally);
  await system.stop();
  const ownStatements = database.ownStatements() - ownBefore;
  const commits = (await database.settledCommits()) - before - ownStatements;

  const timings = await cycleTimings(database, prefix);
  return {
    leads: options.leads,
    cycles: options.cycles,
    seconds,
    cyclesPerSecond: options.cycles / seconds,
    cpuPerCycle: perUnit(cpu, options.cycles),
    endedAttempts: timings.ended,
    commits,
    commitsPerCycle: commits / timings.ended,
    dialResults,
    dialToResultMs: timings.dialToResult,
    resultToNextDialMs: timings.resultToNextDial,
  };
}

async function cycleTimings(database: ScratchDatabase, prefix: string) {
  const rows = await database.query<{ result_ms: number; next_dial_ms: number | null }>(
    `SELECT extract(epoch FROM a.ended_at - a.dialed_at) * 1000 AS result_ms,
            extract(epoch FROM lead(a.dialed_at) OVER w - a.ended_at) * 1000 AS next_dial_ms
     FROM call_attempts a JOIN leads l ON l.id = a.lead_id
     WHERE l.phone LIKE $1 AND a.state = 'ended'
     WINDOW w AS (PARTITION BY a.lead_id ORDER BY a.attempt_number)`,
    [`${prefix}%`],
  );
  const dialToResult = rows.map((r) => Number(r.result_ms)).sort((a, b) => a - b);
  const nextDial = rows
    .filter((r) => r.next_dial_ms !== null)
    .map((r) => Number(r.next_dial_ms))
    .sort((a, b) => a - b);
  return {
    ended: rows.length,
    dialToResult: { p50: percentile(dialToResult, 0.5), p99: percentile(dialToResult, 0.99) },
    resultToNextDial: { p50: percentile(nextDial, 0.5), p99: percentile(nextDial, 0.99) },
  };
}
