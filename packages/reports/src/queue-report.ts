import type { Db } from "@redial/db";
import { sql } from "kysely";

/**
 * Where the leads not yet completed stand right now (the console's Queue page and the daily
 * report's waiting reasons). `now` is passed in by the caller. Definitions: README.md, "Queue".
 */
export interface QueueReport {
  report: "queue";
  at: string;
  /** Not-completed leads by the kind of their waiting reason (the text before its first colon); `due` = none. */
  waiting: { reason: string; leads: number }[];
  /** Active leads whose next dial is at or before now. */
  due_now: number;
  due_next_15_min: number;
  due_next_hour: number;
  /** Leads whose bad-number cooldown runs past now. */
  parked_bad_numbers: number;
  /** Calls dialing or in progress. */
  calls_in_flight: number;
}

export async function queueReport(db: Db, p: { now: Date }): Promise<QueueReport> {
  const [waiting, counts] = await Promise.all([
    sql<{ reason: string; leads: number }>`
      SELECT coalesce(nullif(split_part(waiting_reason, ':', 1), ''), 'due') AS reason, count(*)::int AS leads
      FROM leads WHERE status <> 'completed'
      GROUP BY 1 ORDER BY 2 DESC, 1`.execute(db),
    sql<Omit<QueueReport, "report" | "at" | "waiting">>`
      SELECT
        (SELECT count(*)::int FROM leads WHERE status = 'active' AND next_attempt_at <= ${p.now}) AS due_now,
        (SELECT count(*)::int FROM leads WHERE status = 'active' AND next_attempt_at > ${p.now}
           AND next_attempt_at <= ${p.now}::timestamptz + interval '15 minutes') AS due_next_15_min,
        (SELECT count(*)::int FROM leads WHERE status = 'active' AND next_attempt_at > ${p.now}
           AND next_attempt_at <= ${p.now}::timestamptz + interval '1 hour') AS due_next_hour,
        (SELECT count(*)::int FROM leads WHERE status <> 'completed' AND bad_number_until > ${p.now}) AS parked_bad_numbers,
        (SELECT count(*)::int FROM call_attempts WHERE state IN ('dialing', 'in_progress')) AS calls_in_flight`.execute(
      db,
    ),
  ]);
  const row = counts.rows[0];
  if (!row) throw new Error("queue report: the counts returned no row");
  return { report: "queue", at: p.now.toISOString(), waiting: waiting.rows, ...row };
}

/** Today's placed calls by campaign-local hour (the Today page's calls per hour against the window). */
export async function hourlyCallsReport(
  db: Db,
  p: { day: string; timezone: string },
): Promise<{ report: "hourly_calls"; day: string; hours: { hour: number; calls: number }[] }> {
  const { rows } = await sql<{ hour: number; calls: number }>`
    SELECT extract(hour FROM dialed_at AT TIME ZONE ${p.timezone})::int AS hour, count(*)::int AS calls
    FROM call_attempts
    WHERE campaign_day = ${p.day} AND state <> 'not_placed'
    GROUP BY 1 ORDER BY 1`.execute(db);
  return { report: "hourly_calls", day: p.day, hours: rows };
}
