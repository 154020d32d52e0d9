import { setTimeout as delay } from "node:timers/promises";
import { locateLead } from "@redial/services";
import type { WorkerShape } from "../dial-loop/baseline.ts";
import { type CpuSample, cpuBetween, cpuSample } from "../dial-loop/cpu.ts";
import type { BenchLoop } from "../dial-loop/loop.ts";
import type { ScratchDatabase } from "../dial-loop/scratch-database.ts";
import { percentile, waitForProgress } from "../dial-loop/stats.ts";
import {
  firstAtCap,
  longestFreeSlot,
  occupancy,
  placedOutOfOrder,
  type RushDial,
  takenOutOfOrder,
} from "./timeline.ts";

export interface RushOptions {
  leads: number;
  /** Every call lasts this long on the simulator (± jitterSeconds). */
  callSeconds: number;
  jitterSeconds: number;
  /** DIAL_MAX_CONCURRENT, and the simulator's (Bland's) own concurrency cap. */
  maxConcurrent: number;
  /** Every n-th lead has a callback due at the opening (0: none). */
  callbackEvery: number;
  /** Measure this long after the opening, then stop (the 100,000 leads take hours to drain); undefined: until drained. */
  forSeconds?: number;
}

export interface RushResult {
  leads: number;
  callbacks: number;
  /** Opening → the simulator first holds maxConcurrent calls, s (NaN: never). */
  secondsToCap: number;
  /** Calls in progress ÷ cap, sampled every ~100 ms from the opening to the last lead's placement. */
  busyShare: number;
  samples: number;
  /** Opening → the last lead placed, s. */
  drainSeconds: number;
  /** Leads placed; fewer than `leads` when the run stopped at `forSeconds` (figures are over that window). */
  placed: number;
  /** Pairs the fleet took out of order (callbacks first, then by due time): its dial jobs' fetch order. */
  inversions: number;
  /** Calls placed out of that order (dials taken in order, run side by side): pairs, and the most one call came after one it should have preceded, s. */
  placedOutOfOrder: { pairs: number; latestSeconds: number };
  /** The longest a freed slot stayed free while leads were waiting, after the cap was first reached, s. */
  longestFreeSlotSeconds: number;
  /** How long a freed slot stayed free before the next placement filled it: p50 and p99, s. */
  freeSlotSeconds: { p50: number; p99: number; refills: number };
  /** Most calls in progress at once on the simulator (sampled); requests over Bland's cap it refused. */
  maxLive: number;
  refusedByBland: number;
  /** Leads with more than one attempt (each is dialed once: every call ends as SALE). */
  doubleDials: number;
  /** What the dial jobs returned (`placed`, `fleet_limit`…). */
  dialResults: Record<string, number>;
  /** CPU from the opening to the last placement, per lead placed (Node: this process). */
  cpuPerLead: CpuSample;
}

const PREFIX = "+1917"; // New York: open at the noon the bench's clock is set to
const LOCATION = { state: "NY", zip: "10001" };

/**
 * The window opening: `leads` leads held with their dial job for later (as the schedule leaves
 * them overnight), then all of them due at the same instant, with DIAL_MAX_CONCURRENT calls at
 * most and every call lasting `callSeconds` on the simulator (Bland with the same cap). Each call
 * ends as SALE, so each lead is dialed once; the phase ends when every lead is completed.
 */
export async function runRush(
  database: ScratchDatabase,
  loop: BenchLoop,
  shape: WorkerShape,
  options: RushOptions,
  progress: (line: string) => void,
): Promise<RushResult> {
  await loop.configureSimulator({
    outcomeWeights: { sale: 1 },
    callDurationMs: options.callSeconds * 1000,
    callDurationJitterMs: options.jitterSeconds * 1000,
    caps: { concurrent: options.maxConcurrent, perHour: null, enforce: true },
  });
  progress(`seeding ${options.leads} leads held for later…`);
  const callbacks = await seedHeldLeads(database, options);
  const system = await loop.startSystem(database.url, shape, {
    env: { DIAL_MAX_CONCURRENT: String(options.maxConcurrent) },
  });
  const sim = loop.simulator.state;
  const placed: number[] = [];
  const ended: number[] = [];
  const placedAt = new Map<string, number>();
  const onPlaced = (call: { to: string }) => {
    if (!call.to.startsWith(PREFIX)) return;
    placed.push(Date.now());
    if (!placedAt.has(call.to)) placedAt.set(call.to, Date.now());
  };
  const onEnded = (call: { to: string }) => {
    if (call.to.startsWith(PREFIX)) ended.push(Date.now());
  };
  sim.events.on("call-placed", onPlaced);
  sim.events.on("call-ended", onEnded);
  const samples: number[] = [];
  let maxLive = 0;
  const sampler = setInterval(() => {
    samples.push(sim.inProgress);
    maxLive = Math.max(maxLive, sim.inProgress);
  }, 100);
  try {
    const opening = Date.now();
    const openedAt = await openWindow(database, options.leads, loop.clockOffsetMs);
    progress(
      `window open: ${options.leads} leads due, ${options.maxConcurrent} calls at most (moving them took ${((Date.now() - opening) / 1000).toFixed(1)} s)…`,
    );
    await delay(Math.max(0, openedAt - Date.now()));
    samples.length = 0;
    const cpuAtOpen = cpuSample();
    const guard = { system };
    let reported = 0;
    const windowOver = () =>
      options.forSeconds !== undefined && Date.now() - openedAt >= options.forSeconds * 1000;
    await waitForProgress(
      () => {
        if (placed.length - reported >= Math.min(options.leads / 10, 1000)) {
          reported = placed.length;
          progress(`  ${placed.length} of ${options.leads} placed, ${sim.inProgress} calls in progress`);
        }
        return placed.length >= options.leads || windowOver();
      },
      () => placed.at(-1) ?? openedAt,
      "placements of due leads",
      guard,
    );
    const cpu = cpuBetween(cpuAtOpen, cpuSample());
    const busySamples = [...samples];
    const drained = placed.length >= options.leads;
    // Stopped at --for-seconds: the workers stop (a dial in flight completes), the rest stays due.
    if (!drained) await system.stop();
    const placedCount = placed.length;
    if (drained)
      await waitForProgress(
        async () => {
          const [row] = await database.query<{ open: number }>(
            "SELECT count(*)::int AS open FROM leads WHERE phone LIKE $1 AND status <> 'completed'",
            [`${PREFIX}%`],
          );
          await delay(250);
          return row?.open === 0;
        },
        () => ended.at(-1) ?? Date.now(),
        "SALE results completing the due leads",
        guard,
      );
    const capAt = firstAtCap(placed, ended, options.maxConcurrent);
    const order = await dialOrder(database, callbacks, placedAt);
    const free = capAt === undefined ? { ms: Number.NaN, gapsMs: [] } : longestFreeSlot(placed, ended, capAt);
    const placedLate = placedOutOfOrder(order);
    return {
      leads: options.leads,
      callbacks: callbacks.size,
      secondsToCap: capAt === undefined ? Number.NaN : (capAt - openedAt) / 1000,
      placed: placedCount,
      busyShare: occupancy(busySamples, options.maxConcurrent),
      samples: busySamples.length,
      drainSeconds: ((placed.at(-1) ?? openedAt) - openedAt) / 1000,
      inversions: takenOutOfOrder(order),
      placedOutOfOrder: { pairs: placedLate.pairs, latestSeconds: placedLate.latestMs / 1000 },
      longestFreeSlotSeconds: free.ms / 1000,
      freeSlotSeconds: {
        p50: percentile(free.gapsMs, 0.5) / 1000,
        p99: percentile(free.gapsMs, 0.99) / 1000,
        refills: free.gapsMs.length,
      },
      maxLive,
      refusedByBland: sim.violations.counts.concurrency,
      doubleDials: await doubleDials(database),
      dialResults: Object.fromEntries(system.tally),
      cpuPerLead: {
        nodeMs: cpu.nodeMs / Math.max(1, placedCount),
        postgresMs: cpu.postgresMs === null ? null : cpu.postgresMs / Math.max(1, placedCount),
      },
    };
  } finally {
    clearInterval(sampler);
    sim.events.off("call-placed", onPlaced);
    sim.events.off("call-ended", onEnded);
    await system.stop();
  }
}

/**
 * The leads in one statement, as the schedule leaves them overnight: active, due tomorrow, their
 * dial job queued for then (through bulk intake's job writer, at the priority the writers give it); every `callbackEvery`-th with a
 * callback. Answers the callbacks' lead ids (a dial clears callback_at).
 */
async function seedHeldLeads(database: ScratchDatabase, options: RushOptions): Promise<Set<number>> {
  const location = locateLead(`${PREFIX}5000000`, LOCATION);
  await database.query(
    `INSERT INTO leads (phone, state, zip, timezones, states, source, waiting_reason, next_attempt_at, callback_at)
     SELECT $1 || (1000000 + g)::text, $2, $3, $4, $5, 'bench', 'bench: held for the opening',
            now() + interval '1 day',
            CASE WHEN $7 > 0 AND g % $7 = 0 THEN now() + interval '1 day' END
     FROM generate_series(0, $6 - 1) AS g ORDER BY g`,
    [
      PREFIX,
      LOCATION.state,
      LOCATION.zip,
      location.timezones,
      location.states,
      options.leads,
      options.callbackEvery,
    ],
  );
  // The jobs through bulk intake's writer, 5,000 leads a statement: redial_dial_job_put lead by
  // lead queued 45,000 in ~4 min, each chunk slower than the one before.
  const [range] = await database.query<{ low: string | null; high: string | null }>(
    "SELECT min(id) AS low, max(id) AS high FROM leads WHERE phone LIKE $1",
    [`${PREFIX}%`],
  );
  for (let from = Number(range?.low ?? 1); from <= Number(range?.high ?? 0); from += 5000)
    await database.query(
      `SELECT redial_dial_jobs_insert(array_agg(id ORDER BY id), array_agg(86400::float8 ORDER BY id),
                                      array_agg(redial_dial_priority(id) ORDER BY id))
       FROM leads WHERE phone LIKE $1 AND id >= $2 AND id < $3`,
      [`${PREFIX}%`, from, from + 5000],
    );
  // Statistics for the opening's two set-based updates: planned on a fresh table's (no rows),
  // moving 100,000 jobs joined a sequential scan of the leads per job and ran 12 minutes.
  await database.query("ANALYZE leads");
  await database.query("ANALYZE pgboss.job_common");
  const rows = await database.query<{ id: string }>(
    "SELECT id FROM leads WHERE phone LIKE $1 AND callback_at IS NOT NULL",
    [`${PREFIX}%`],
  );
  return new Set(rows.map((row) => Number(row.id)));
}

/**
 * The opening: every held lead and its job due at the same instant, a moment from now (the
 * database's clock for the jobs, the processes' shifted clock for the leads). Answers it (ms).
 */
async function openWindow(database: ScratchDatabase, leads: number, clockOffsetMs: number): Promise<number> {
  const aheadMs = 3000 + Math.ceil(leads / 10);
  const [row] = await database.query<{ at: Date }>("SELECT now() + $1 * interval '1 millisecond' AS at", [
    aheadMs,
  ]);
  const at = row?.at ?? new Date(Date.now() + aheadMs);
  const shifted = new Date(at.getTime() + clockOffsetMs);
  await database.query(
    `UPDATE leads SET next_attempt_at = $2::timestamptz, callback_at = CASE WHEN callback_at IS NOT NULL THEN $2::timestamptz END
     WHERE phone LIKE $1`,
    [`${PREFIX}%`, shifted],
  );
  // The bench moves the queued jobs itself (one statement): the schedule would have put them there.
  await database.query(
    `UPDATE pgboss.job SET start_after = $2::timestamptz, keep_until = $2::timestamptz + interval '1 day'
     WHERE name = 'dial' AND state = 'created' AND singleton_key IN (SELECT id::text FROM leads WHERE phone LIKE $1)`,
    [`${PREFIX}%`, at],
  );
  // Late (a loaded machine): the leads became due when the jobs' update committed.
  return Math.max(at.getTime(), Date.now());
}

/**
 * Every lead of the rush with when the fleet first took it (its dial job's first fetch, the
 * database's clock) and when Bland (the simulator) received its first call: not yet = Infinity.
 */
async function dialOrder(
  database: ScratchDatabase,
  callbacks: ReadonlySet<number>,
  placedAt: ReadonlyMap<string, number>,
): Promise<RushDial[]> {
  const rows = await database.query<{ id: string; phone: string; taken_ms: number | null }>(
    `SELECT l.id, l.phone,
            (SELECT extract(epoch FROM min(j.started_on)) * 1000 FROM pgboss.job j
             WHERE j.name = 'dial' AND j.singleton_key = l.id::text)::float8 AS taken_ms
     FROM leads l WHERE l.phone LIKE $1`,
    [`${PREFIX}%`],
  );
  // Every lead was due at the same instant: only the callbacks' precedence can be broken.
  return rows.map((row) => ({
    callback: callbacks.has(Number(row.id)),
    dueMs: 0,
    takenMs: row.taken_ms ?? Number.POSITIVE_INFINITY,
    placedMs: placedAt.get(row.phone) ?? Number.POSITIVE_INFINITY,
  }));
}

async function doubleDials(database: ScratchDatabase): Promise<number> {
  const [row] = await database.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       SELECT a.lead_id FROM call_attempts a JOIN leads l ON l.id = a.lead_id
       WHERE l.phone LIKE $1 AND a.state <> 'not_placed' GROUP BY a.lead_id HAVING count(*) > 1) d`,
    [`${PREFIX}%`],
  );
  return row?.n ?? 0;
}
