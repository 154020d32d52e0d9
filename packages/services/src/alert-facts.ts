import { getFleetState } from "@redial/db";
import { QUEUES } from "@redial/jobs";
import { statisticsToday } from "@redial/reports";
import { sql } from "kysely";
import type { AlertFacts } from "./alert-rules.ts";
import type { RedialContext } from "./context.ts";

/** Read what the alert rules look at, at ctx.now(). */
export async function readAlertFacts(
  ctx: RedialContext,
  options: { noDialMinutes: number; spendLimit: number | null },
): Promise<AlertFacts> {
  const now = ctx.now();
  const overdueSince = new Date(now.getTime() - options.noDialMinutes * 60_000);
  const last15 = new Date(now.getTime() - 15 * 60_000);
  const lastHour = new Date(now.getTime() - 3600_000);
  const [fleet, counts, deadLetters, today] = await Promise.all([
    getFleetState(ctx.db),
    sql<{
      overdue: number;
      last_dial_at: Date | null;
      dials: number;
      not_placed: number;
      webhook_failures: number;
    }>`
      SELECT
        (SELECT count(*)::int FROM leads WHERE status = 'active' AND next_attempt_at <= ${overdueSince}) AS overdue,
        (SELECT max(dialed_at) FROM call_attempts WHERE origin = 'dialer') AS last_dial_at,
        (SELECT count(*)::int FROM call_attempts WHERE origin = 'dialer' AND dialed_at >= ${last15}) AS dials,
        (SELECT count(*)::int FROM call_attempts
          WHERE origin = 'dialer' AND dialed_at >= ${last15} AND state = 'not_placed') AS not_placed,
        (SELECT count(*)::int FROM webhook_events WHERE result = 'error' AND received_at >= ${last15}) AS webhook_failures`.execute(
      ctx.db,
    ),
    ctx.boss.findJobs(QUEUES.convosoSyncDead.name, { limit: 10_000 }),
    statisticsToday(ctx),
  ]);
  const row = counts.rows[0];
  if (!row) throw new Error("alert facts: the counts returned no row");
  return {
    now,
    fleetPaused: fleet.paused,
    overdueLeads: row.overdue,
    lastDialAt: row.last_dial_at,
    dialsLast15Min: row.dials,
    notPlacedLast15Min: row.not_placed,
    deadLettersLastHour: deadLetters.filter((job) => job.createdOn >= lastHour).length,
    webhookFailuresLast15Min: row.webhook_failures,
    spendToday: today.cost,
    spendLimit: options.spendLimit,
  };
}
