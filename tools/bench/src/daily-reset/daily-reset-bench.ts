import { migrate } from "@redial/db";
import { prepareQueues } from "@redial/jobs";
import * as services from "@redial/services";
import { sql } from "kysely";
import { startBenchRuntime, startDialResultLoop } from "../held-leads/dial-result-loop.ts";
import { seedHeldLeads } from "../held-leads/seed-held-leads.ts";
import { createScratchDatabase } from "../scratch-database.ts";

export interface DailyResetOptions {
  serverUrl: string;
  /** Leads held (waiting for tomorrow), most at their daily maximum. */
  held: number;
  dailyMaxShare: number;
  /** Leads the concurrent loop dials. */
  loopLeads: number;
  /** How long the loop runs before the reset (its baseline). */
  beforeSeconds: number;
}

/** Latencies of one kind of step (ms). */
export interface Latencies {
  count: number;
  p50: number;
  p99: number;
  max: number;
  perSecond: number;
}

export interface DailyResetReport {
  held: number;
  seedSeconds: number;
  /** Leads at their daily maximum when the reset started, and those the reset made active. */
  atDailyMax: number;
  reset: number;
  healed: number;
  /** Leads still at their daily maximum after it (0: every one was reset). */
  leftAtDailyMax: number;
  resetSeconds: number;
  before: { dial: Latencies; result: Latencies };
  during: { dial: Latencies; result: Latencies };
}

interface Step {
  kind: "dial" | "result";
  at: number;
  ms: number;
}

/**
 * The daily reset (runDailyReset, as the worker's daily-reset job runs it, in a runtime of its
 * own) over `held` leads, while a dial + result loop (the result is the call's webhook, through
 * receiveBlandWebhook) runs beside it: the reset's duration, and each step's latency during the
 * reset against the seconds before it.
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
      const atDailyMax = await countAtDailyMax(loop.ctx.db);

      const steps: Step[] = [];
      let stopped = false;
      const running = (async () => {
        while (!stopped)
          for (const id of loop.leadIds) {
            for (const kind of ["dial", "result"] as const) {
              const at = performance.now();
              await loop[kind](id);
              steps.push({ kind, at, ms: performance.now() - at });
            }
          }
      })();
      const loopStarted = performance.now();
      await new Promise((resolve) => setTimeout(resolve, options.beforeSeconds * 1000));
      const resetStarted = performance.now();
      let result: { reset: number; healed: number };
      try {
        result = await services.runDailyReset(resetRuntime.ctx);
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
        held: options.held,
        seedSeconds,
        atDailyMax,
        ...result,
        leftAtDailyMax: await countAtDailyMax(loop.ctx.db),
        resetSeconds: (resetEnded - resetStarted) / 1000,
        before: {
          dial: within(loopStarted, resetStarted, "dial"),
          result: within(loopStarted, resetStarted, "result"),
        },
        during: {
          dial: within(resetStarted, resetEnded, "dial"),
          result: within(resetStarted, resetEnded, "result"),
        },
      };
    } finally {
      await resetRuntime.stop();
      await loop.stop();
    }
  } finally {
    await scratch.drop();
  }
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
    `${label}: before p50 ${ms(before.p50)} p99 ${ms(before.p99)} max ${ms(before.max)} (${before.perSecond.toFixed(1)}/s) | during p50 ${ms(during.p50)} p99 ${ms(during.p99)} max ${ms(during.max)} (${during.perSecond.toFixed(1)}/s) | p99 ×${(during.p99 / before.p99).toFixed(2)}, rate ×${(during.perSecond / before.perSecond).toFixed(2)}`;
  const slowest = Math.max(r.during.dial.max, r.during.result.max);
  return [
    `${r.held.toLocaleString("en-US")} leads held, ${r.atDailyMax.toLocaleString("en-US")} at their daily maximum (seeded in ${r.seedSeconds.toFixed(0)} s)`,
    `daily reset: ${r.resetSeconds.toFixed(1)} s, ${r.reset.toLocaleString("en-US")} reset, ${r.healed} healed, ${r.leftAtDailyMax} left at their daily maximum  (target < 60 s ${r.resetSeconds < 60 && r.leftAtDailyMax === 0 ? "ok" : "MISSED"})`,
    row("dial latency  ", r.before.dial, r.during.dial),
    row("result latency (webhook)", r.before.result, r.during.result),
    `slowest dial or result during the reset: ${ms(slowest)}  (no stall: target ≤ ${STALL_MS} ms ${slowest <= STALL_MS ? "ok" : "MISSED"})`,
    `command: ${command}`,
  ];
}
