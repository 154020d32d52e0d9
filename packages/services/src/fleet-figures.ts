import { listIncidents } from "@redial/db";
import { QUEUES } from "@redial/jobs";
import { reportPeriod, statisticsToday, type TodayStatistics, totalsReport } from "@redial/reports";
import type { RedialContext } from "./context.ts";
import { fleetStatus } from "./fleet-pause.ts";

/** The fleet's figures for /metrics: every count taken from the reports, pg-boss and our tables. */
export async function readFleetFigures(ctx: RedialContext, spendLimit: number | null) {
  const period = await reportPeriod(ctx, {});
  const [today, totals, queues, fleet, incidents] = await Promise.all([
    statisticsToday(ctx),
    totalsReport(ctx.db, { timezone: period.timezone, today: period.today }),
    ctx.boss.getQueues(Object.values(QUEUES).map((q) => q.name)),
    fleetStatus(ctx),
    listIncidents(ctx.db, 50),
  ]);
  const { report: _r, timezone: _t, today: _d, ...leads } = totals;
  const queue = (name: string) => queues.find((q) => q.name === name);
  const sync = queue(QUEUES.convosoSync.name);
  return {
    leads,
    callsToday: numbersOf(today),
    callsInFlight: today.calls_in_progress,
    spendToday: today.cost,
    spendLimit,
    queues: queues.map((q) => ({
      name: q.name,
      queued: q.queuedCount,
      ready: q.readyCount,
      active: q.activeCount,
      failed: q.failedCount,
    })),
    convosoSyncBacklog: (sync?.queuedCount ?? 0) + (sync?.activeCount ?? 0),
    convosoDeadLetters: queue(QUEUES.convosoSyncDead.name)?.totalCount ?? 0,
    fleetPaused: fleet.state.paused,
    workersAlive: fleet.workers.length,
    openIncidents: incidents.filter((i) => i.resolvedAt === null).map((i) => i.rule),
  };
}

/** Today's statistics as figures: every count and rate by its glossary name, outcomes as outcome_<name>. */
function numbersOf(today: TodayStatistics): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const [name, value] of Object.entries(today)) if (typeof value === "number") figures[name] = value;
  for (const [outcome, n] of Object.entries(today.outcome_counts)) figures[`outcome_${outcome}`] = n;
  return figures;
}
