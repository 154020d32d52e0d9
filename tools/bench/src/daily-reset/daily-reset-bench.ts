import { migrate } from "@redial/db";
import { prepareQueues } from "@redial/jobs";
import * as services from "@redial/services";
import { sql } from "kysely";
import {
  type DialResultLoop,
  startBenchRuntime,
  startDialResultLoop,
} from "../held-leads/dial-result-loop.ts";
import { seedHeldLeads } from "../held-leads/seed-held-leads.ts";
import { createScratchDatabase } from "../scratch-database.ts";

export interface DailyResetOptions {
  serverUrl: string;
  /** Leads held (waiting for tomorrow), most at their daily maximum. */
  held: number;
  dailyMaxShare: number;
  /** Leads the concurrent loop dials. */
  loopLeads: number;
  /** How long the loop runs before each reset (its baseline). */
  beforeSeconds: number;
  /** Also run the reset as it was (one UPDATE of every lead in one transaction) first, for comparison. */
  compare: boolean;
  /** runDailyReset's lanes (id ranges walked at once); undefined: its default. */
  lanes?: number;
}

/** Latencies of one kind of step (ms). */
export interface Latencies {
  count: number;
  p50: number;
  p99: number;
  max: number;
  perSecond: number;
}

/** One reset with the loop beside it. */
export interface ResetRun {
  label: string;
  atDailyMax: number;
  reset: number;
  /** Leads still at their daily maximum after it (0: every one was reset). */
  leftAtDailyMax: number;
  seconds: number;
  before: { dial: Latencies; result: Latencies };
  during: { dial: Latencies; result: Latencies };
}

export interface DailyResetReport {
  held: number;
  seedSeconds: number;
  /** The reset as it was, when compared. */
  single?: ResetRun;
  batched: ResetRun;
  /** The heal sweep alone (runDailyReset's second part), timed again after the reset. */
  sweepSeconds: number;
  healed: number;
  /** The heal sweep's query as it was, on one batch of 500 leads (the sweep ran one per 500 leads). */
  oldSweepBatchSeconds: number;
}

interface Step {
  kind: "dial" | "result";
  at: number;
  ms: number;
}

/** The reset as it was before it ran in batches (migrations/0002): one UPDATE, one transaction. */
const SINGLE_STATEMENT_RESET = sql<{ reset: number }>`
  WITH reset AS (
    UPDATE leads
    SET status = 'active', waiting_reason = 'new calling day: waiting for the calling window', updated_at = now()
    WHERE status = 'daily_max_reached'
    RETURNING 1
  )
  SELECT count(*)::integer AS reset FROM reset`;

/**
 * The daily reset (runDailyReset, as the worker's daily-reset job runs it, in a runtime of its
 * own) over `held` leads, while a dial + result loop (the result is the call's webhook, through
 * receiveBlandWebhook) runs beside it: the reset's duration, and each step's latency during the
 * reset against the seconds before it. With `compare`, the reset as it was runs first on the same
 * leads, which are then put back at their daily maximum (and the table vacuumed) for the new one.
 */
export async function runDailyResetBench(
  options: DailyResetOptions,
  log: (line: string) => void,
): Promise<DailyResetReport> {
  const scratch = await createScratchDatabase("redial_daily_reset", options.serverUrl);
  try {
    await migrate(scratch.url);
    await prepareQueues(scratch.url);
    const loop = await startDialResultLoop(scratch.url, options.loopLeads);
    const resetRuntime = await startBenchRuntime(scratch.url);
    const resetCtx = resetRuntime.ctx;
    try {
      const started = performance.now();
      await seedHeldLeads(
        loop.ctx.db,
        {
          count: options.held,
          dailyMaxShare: options.dailyMaxShare,
          attemptsPerLead: 1,
          today: new Date("2026-12-02T05:00:00Z"),
        },
        (done) =>
          log(
            `  seeding held leads: ${done.toLocaleString("en-US")}/${options.held.toLocaleString("en-US")}`,
          ),
      );
      const seedSeconds = (performance.now() - started) / 1000;
      let single: ResetRun | undefined;
      if (options.compare) {
        log("  the reset as it was (one statement)…");
        single = await resetBesideLoop(
          loop,
          options.beforeSeconds,
          "one UPDATE, one transaction (as before)",
          async () => {
            const { rows } = await SINGLE_STATEMENT_RESET.execute(resetCtx.db);
            return rows[0]?.reset ?? 0;
          },
        );
        log(`  … ${single.seconds.toFixed(1)} s for ${single.reset.toLocaleString("en-US")} leads`);
        log("  putting the leads back at their daily maximum, vacuum…");
        await sql`UPDATE leads SET status = 'daily_max_reached'
                  WHERE waiting_reason = 'new calling day: waiting for the calling window'`.execute(
          resetCtx.db,
        );
        await sql`VACUUM (ANALYZE) leads`.execute(resetCtx.db);
      }
      log("  runDailyReset…");
      let healed = 0;
      const batched = await resetBesideLoop(
        loop,
        options.beforeSeconds,
        "runDailyReset (batches)",
        async () => {
          const result = await services.runDailyReset(resetCtx, undefined, options.lanes);
          healed = result.healed;
          return result.reset;
        },
      );
      log(`  … ${batched.seconds.toFixed(1)} s for ${batched.reset.toLocaleString("en-US")} leads`);
      log("  the heal sweep again, alone…");
      const sweepStarted = performance.now();
      await services.healSchedules(resetCtx);
      const sweepSeconds = (performance.now() - sweepStarted) / 1000;
      return {
        held: options.held,
        seedSeconds,
        ...(single ? { single } : {}),
        batched,
        sweepSeconds,
        healed,
        oldSweepBatchSeconds: await timeOldSweepBatch(resetCtx.db),
      };
    } finally {
      await resetRuntime.stop();
      await loop.stop();
    }
  } finally {
    await scratch.drop();
  }
}

/** `reset` with the loop running beside it, `beforeSeconds` after the loop started. */
async function resetBesideLoop(
  loop: DialResultLoop,
  beforeSeconds: number,
  label: string,
  reset: () => Promise<number>,
): Promise<ResetRun> {
  const atDailyMax = await countAtDailyMax(loop.ctx.db);
  const steps: Step[] = [];
  let stopped = false;
  const running = (async () => {
    while (!stopped)
      for (const id of loop.leadIds)
        for (const kind of ["dial", "result"] as const) {
          const at = performance.now();
          await loop[kind](id);
          steps.push({ kind, at, ms: performance.now() - at });
        }
  })();
  const loopStarted = performance.now();
  await new Promise((resolve) => setTimeout(resolve, beforeSeconds * 1000));
  const resetStarted = performance.now();
  let count: number;
  try {
    count = await reset();
  } finally {
    stopped = true;
  }
  const resetEnded = performance.now();
  await running;
  const within = (from: number, to: number, kind: Step["kind"]) =>
    latencies(
      steps.filter((s) => s.kind === kind && s.at >= from && s.at < to),
      (to - from) / 1000,
    );
  return {
    label,
    atDailyMax,
    reset: count,
    leftAtDailyMax: await countAtDailyMax(loop.ctx.db),
    seconds: (resetEnded - resetStarted) / 1000,
    before: {
      dial: within(loopStarted, resetStarted, "dial"),
      result: within(loopStarted, resetStarted, "result"),
    },
    during: {
      dial: within(resetStarted, resetEnded, "dial"),
      result: within(resetStarted, resetEnded, "result"),
    },
  };
}

/** The heal sweep's query before it was split in two index probes (packages/jobs/src/job-table.ts). */
async function timeOldSweepBatch(db: services.RedialContext["db"]): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    SELECT id FROM leads WHERE status IN ('active', 'daily_max_reached') ORDER BY id LIMIT 500`.execute(db);
  const started = performance.now();
  await sql`
    SELECT k::bigint AS id FROM unnest(${rows.map((r) => String(r.id))}::text[]) k
    WHERE NOT EXISTS (
      SELECT 1 FROM pgboss.job j
      WHERE j.name = 'dial' AND j.singleton_key = k AND j.state IN ('created', 'retry', 'active'))
    ORDER BY 1`.execute(db);
  return (performance.now() - started) / 1000;
}

async function countAtDailyMax(db: services.RedialContext["db"]): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM leads WHERE status = 'daily_max_reached'`.execute(db);
  return rows[0]?.n ?? 0;
}

function latencies(steps: readonly Step[], seconds: number): Latencies {
  const sorted = steps.map((s) => s.ms).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return {
    count: sorted.length,
    p50: at(0.5),
    p99: at(0.99),
    max: sorted.at(-1) ?? Number.NaN,
    perSecond: seconds > 0 ? sorted.length / seconds : Number.NaN,
  };
}

/** A stall: one dial or result slower than this while the reset runs. */
export const STALL_MS = 1000;

export function dailyResetLines(r: DailyResetReport, command: string): string[] {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const row = (label: string, before: Latencies, during: Latencies) =>
    `  ${label}: before p50 ${ms(before.p50)} p99 ${ms(before.p99)} max ${ms(before.max)} (${before.perSecond.toFixed(1)}/s) | during p50 ${ms(during.p50)} p99 ${ms(during.p99)} max ${ms(during.max)} (${during.perSecond.toFixed(1)}/s) | p99 ×${(during.p99 / before.p99).toFixed(2)}, rate ×${(during.perSecond / before.perSecond).toFixed(2)}`;
  const run = (x: ResetRun, target: boolean) => {
    const slowest = Math.max(x.during.dial.max, x.during.result.max);
    const mark = (ok: boolean) => (target ? `  (target ${ok ? "ok" : "MISSED"})` : "");
    return [
      `${x.label}: ${x.seconds.toFixed(1)} s for ${x.reset.toLocaleString("en-US")} of ${x.atDailyMax.toLocaleString("en-US")} leads at their daily maximum, ${x.leftAtDailyMax} left${target ? `  (target < 60 s ${x.seconds < 60 && x.leftAtDailyMax === 0 ? "ok" : "MISSED"})` : ""}`,
      row("dial latency            ", x.before.dial, x.during.dial),
      row("result latency (webhook)", x.before.result, x.during.result),
      `  slowest dial or result during the reset: ${ms(slowest)}${mark(slowest <= STALL_MS)}${target ? ` (no stall: ≤ ${STALL_MS} ms)` : ""}`,
    ];
  };
  const batches = Math.ceil(r.held / 500);
  return [
    `${r.held.toLocaleString("en-US")} leads held (seeded in ${r.seedSeconds.toFixed(0)} s)`,
    ...(r.single ? run(r.single, false) : []),
    ...run(r.batched, true),
    `  of which the heal sweep (timed again alone): ${r.sweepSeconds.toFixed(1)} s, ${r.healed} healed; its query as it was: ${r.oldSweepBatchSeconds.toFixed(2)} s per 500 leads, × ${batches.toLocaleString("en-US")} batches ≈ ${((r.oldSweepBatchSeconds * batches) / 60).toFixed(0)} min`,
    `command: ${command}`,
  ];
}
