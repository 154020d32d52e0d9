import type { Db } from "@redial/db";
import { OUTCOMES } from "@redial/domain";
import { sql } from "kysely";
import { leadsCreatedCount } from "./lead-rollup.ts";
import { type OutcomeKey, outcomeKey } from "./lead-standing.ts";
import { dayEnd, dayStart, daysBetween, type ReportPeriod } from "./report-period.ts";

/** What the range report reads per campaign day; each map holds only the days that have any. */
export interface RangeDays {
  leadsCreated: Map<string, number>;
  calls: Map<string, CallDay>;
  leadsCalled: LeadsCalled;
  transferredUnanswered: Map<string, number>;
  completed: Map<string, { sold_leads: number; dnc_leads: number }>;
}

/** Placed calls of one campaign day, from the report_call_days rollup. */
export interface CallDay extends Record<`o_${OutcomeKey}`, number> {
  day: string;
  calls_placed: number;
  calls_in_progress: number;
  answered: number;
  transfers: number;
  cost: number;
}

export interface LeadsCalled {
  byDay: Map<string, { unique_leads_called: number; first_calls: number }>;
  uniqueTotal: number;
}

export async function readRangeDays(db: Db, p: ReportPeriod): Promise<RangeDays> {
  const [leadsCreated, calls, leadsCalled, transferredUnanswered, completed] = await Promise.all([
    leadsCreatedByDay(db, p),
    callsByDay(db, p),
    leadsCalledByDay(db, p),
    transferredUnansweredByDay(db, p),
    completedByDay(db, p),
  ]);
  return { leadsCreated, calls, leadsCalled, transferredUnanswered, completed };
}

/** Leads created per campaign day, from the report_leads rollup (see lead-rollup.ts). */
async function leadsCreatedByDay(db: Db, p: ReportPeriod): Promise<Map<string, number>> {
  const start = sql<Date>`(d.day::timestamp AT TIME ZONE ${p.timezone}::text)`;
  const end = sql<Date>`((d.day + 1)::timestamp AT TIME ZONE ${p.timezone}::text)`;
  const { rows } = await sql<{ day: string; n: number }>`
    SELECT d.day::text AS day, ${leadsCreatedCount(start, end)} AS n
    FROM unnest(${daysBetween(p.from, p.to)}::date[]) AS d(day)`.execute(db);
  return new Map(rows.map((row) => [row.day, row.n]));
}

/**
 * Placed calls (not_placed is not a call) per campaign day: every count that adds up over days,
 * summed over the report_call_days rollup (one row per day, shard and outcome; outcome NULL: no
 * result yet, i.e. dialing or in progress).
 */
async function callsByDay(db: Db, p: ReportPeriod): Promise<Map<string, CallDay>> {
  const outcomeCounts = sql.join(
    OUTCOMES.map(
      (o) =>
        sql`coalesce(sum(calls) FILTER (WHERE outcome = ${sql.lit(o)}), 0)::int AS ${sql.ref(`o_${outcomeKey(o)}`)}`,
    ),
  );
  const { rows } = await sql<CallDay>`
    SELECT campaign_day::text AS day, sum(calls)::int AS calls_placed,
           coalesce(sum(calls) FILTER (WHERE outcome IS NULL), 0)::int AS calls_in_progress,
           sum(answered)::int AS answered, sum(transferred)::int AS transfers, sum(cost) AS cost, ${outcomeCounts}
    FROM report_call_days
    WHERE campaign_day BETWEEN ${p.from}::text::date AND ${p.to}::text::date
    GROUP BY campaign_day`.execute(db);
  return new Map(rows.map((row) => [row.day, { ...row, cost: Number(row.cost) }]));
}

/**
 * Distinct leads called per day and over the period, and per day the leads whose first call ever
 * was that day, from the report_lead_days rollup: the leads called on a day by the previous day
 * each was called. A lead called on day d is new to the period when it was not called between
 * `from` and d: its previous day is before `from`, or it has none (d holds its first call ever).
 */
async function leadsCalledByDay(db: Db, p: ReportPeriod): Promise<LeadsCalled> {
  const { rows } = await sql<{
    day: string;
    unique_leads_called: number;
    first_calls: number;
    new_in_period: number;
  }>`
    SELECT campaign_day::text AS day, sum(leads)::int AS unique_leads_called,
           coalesce(sum(leads) FILTER (WHERE prev_day IS NULL), 0)::int AS first_calls,
           coalesce(sum(leads) FILTER (WHERE prev_day IS NULL OR prev_day < ${p.from}::text::date), 0)::int
             AS new_in_period
    FROM report_lead_days
    WHERE campaign_day BETWEEN ${p.from}::text::date AND ${p.to}::text::date
    GROUP BY campaign_day`.execute(db);
  return {
    byDay: new Map(rows.map((row) => [row.day, row])),
    uniqueTotal: rows.reduce((sum, row) => sum + row.new_in_period, 0),
  };
}

/**
 * Placed calls transferred to a closer but not answered (a transfer under ANSWERED_MIN_SECONDS,
 * or not a human), per day: with `answered` they make `reached`. A few calls, read through
 * migration 0013's partial index.
 */
async function transferredUnansweredByDay(db: Db, p: ReportPeriod): Promise<Map<string, number>> {
  const { rows } = await sql<{ day: string; n: number }>`
    SELECT campaign_day::text AS day, count(*)::int AS n FROM call_attempts
    WHERE transferred AND answered IS NOT TRUE AND state <> 'not_placed'
      AND campaign_day BETWEEN ${p.from}::text::date AND ${p.to}::text::date
    GROUP BY campaign_day`.execute(db);
  return new Map(rows.map((row) => [row.day, row.n]));
}

/**
 * Leads that got their final outcome per campaign day of completed_at: sold (SALE) and DNC. A lead
 * sold by hand days after its transfer is a sale of the day it was sold. Read through migration
 * 0013's partial index on completed leads.
 */
async function completedByDay(
  db: Db,
  p: ReportPeriod,
): Promise<Map<string, { sold_leads: number; dnc_leads: number }>> {
  const { rows } = await sql<{ day: string; sold_leads: number; dnc_leads: number }>`
    SELECT (completed_at AT TIME ZONE ${p.timezone}::text)::date::text AS day,
           count(*) FILTER (WHERE final_outcome = 'SALE')::int AS sold_leads,
           count(*) FILTER (WHERE final_outcome = 'DNC')::int AS dnc_leads
    FROM leads
    WHERE status = 'completed'
      AND completed_at >= ${dayStart(p.from, p.timezone)} AND completed_at < ${dayEnd(p.to, p.timezone)}
    GROUP BY 1`.execute(db);
  return new Map(rows.map((row) => [row.day, row]));
}
