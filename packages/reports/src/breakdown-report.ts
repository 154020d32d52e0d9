import type { Db } from "@redial/db";
import { OUTCOMES, type Outcome } from "@redial/domain";
import { sql } from "kysely";
import { createdBetween } from "./lead-filters.ts";
import { leadGroupsCreated } from "./lead-rollup.ts";
import { checkPeriod, dayEnd, dayStart, type ReportPeriod } from "./report-period.ts";

export type OutcomeKey = Lowercase<Outcome>;

/** Not-completed leads by their last outcome; `never_called` has none, `other` an unrecognised one. */
export type LastOutcomeCounts = Record<OutcomeKey | "never_called" | "other", number>;

/** The leads created in a period, by where they stand. Definitions: packages/reports/README.md. */
export interface Breakdown {
  report: "breakdown";
  from: string;
  to: string;
  timezone: string;
  today: string;
  leads_in_period: number;
  active_for_redialing: number;
  transferred_not_sold: number;
  ever_transferred_not_sold: number;
  completed_sale: number;
  completed_dnc: number;
  last_outcome_counts: LastOutcomeCounts;
  should_continue: number;
  total_non_sale: number;
  total_non_dnc: number;
  dnc_count: number;
  daily_max_reached_today: number;
  paused: number;
}

export function outcomeKey(outcome: Outcome): OutcomeKey {
  return outcome.toLowerCase() as OutcomeKey;
}

export async function breakdownReport(db: Db, p: ReportPeriod): Promise<Breakdown> {
  checkPeriod(p);
  const [statuses, dncListed, dailyMax] = await Promise.all([
    countStatuses(db, p),
    countDncListedNotCompletedDnc(db, p),
    countDailyMaxReachedToday(db, p),
  ]);
  const { leads_in_period, completed_sale, completed_dnc, should_continue, last_outcome_counts } = statuses;
  return {
    report: "breakdown",
    from: p.from,
    to: p.to,
    timezone: p.timezone,
    today: p.today,
    leads_in_period,
    active_for_redialing: statuses.active_for_redialing,
    transferred_not_sold: statuses.transferred_not_sold,
    ever_transferred_not_sold: statuses.ever_transferred_not_sold,
    completed_sale,
    completed_dnc,
    last_outcome_counts,
    should_continue,
    total_non_sale: leads_in_period - completed_sale,
    total_non_dnc: leads_in_period - completed_dnc,
    dnc_count: completed_dnc + dncListed,
    daily_max_reached_today: dailyMax,
    paused: statuses.paused,
  };
}

/**
 * Every count that depends on the lead row alone (and on whether it ever had a transferred call),
 * summed over the report_leads rollup: a few thousand rows whatever the number of leads.
 */
async function countStatuses(db: Db, p: ReportPeriod) {
  const outcomeCounts = sql.join(
    OUTCOMES.map(
      (o) =>
        sql`coalesce(sum(n) FILTER (WHERE open AND last_outcome = ${sql.lit(o)}), 0)::int AS ${sql.ref(outcomeKey(o))}`,
    ),
  );
  const groups = leadGroupsCreated(dayStart(p.from, p.timezone), dayEnd(p.to, p.timezone));
  const { rows } = await sql<StatusCounts>`
    SELECT coalesce(sum(n), 0)::int AS leads_in_period,
           coalesce(sum(n) FILTER (WHERE status IN ('active', 'daily_max_reached')), 0)::int AS active_for_redialing,
           coalesce(sum(n) FILTER (WHERE open AND last_outcome = 'TRANSFERRED'), 0)::int AS transferred_not_sold,
           coalesce(sum(n) FILTER (WHERE ever_transferred AND final_outcome IS DISTINCT FROM 'SALE'), 0)::int
             AS ever_transferred_not_sold,
           coalesce(sum(n) FILTER (WHERE final_outcome = 'SALE'), 0)::int AS completed_sale,
           coalesce(sum(n) FILTER (WHERE final_outcome = 'DNC'), 0)::int AS completed_dnc,
           coalesce(sum(n) FILTER (WHERE open), 0)::int AS should_continue,
           coalesce(sum(n) FILTER (WHERE status = 'paused'), 0)::int AS paused,
           coalesce(sum(n) FILTER (WHERE open AND last_outcome IS NULL), 0)::int AS never_called,
           ${outcomeCounts}
    FROM (SELECT status, final_outcome, last_outcome, ever_transferred, status <> 'completed' AS open, sum(n) AS n
          FROM (${groups}) g GROUP BY 1, 2, 3, 4) s`.execute(db);
  const row = rows[0] as StatusCounts;
  const last_outcome_counts = { never_called: row.never_called, other: 0 } as LastOutcomeCounts;
  for (const outcome of OUTCOMES) last_outcome_counts[outcomeKey(outcome)] = row[outcomeKey(outcome)] ?? 0;
  const named = Object.values(last_outcome_counts).reduce((sum, n) => sum + n, 0);
  last_outcome_counts.other = row.should_continue - named;
  return { ...row, last_outcome_counts };
}

interface StatusCounts extends Partial<Record<OutcomeKey, number>> {
  leads_in_period: number;
  active_for_redialing: number;
  transferred_not_sold: number;
  ever_transferred_not_sold: number;
  completed_sale: number;
  completed_dnc: number;
  should_continue: number;
  paused: number;
  never_called: number;
}

/**
 * Leads of the period whose phone is on our DNC list but that are not completed with DNC (those are
 * counted by the rollup): read from the DNC list's side, one phone lookup per listed number.
 */
async function countDncListedNotCompletedDnc(db: Db, p: ReportPeriod): Promise<number> {
  const row = await db
    .selectFrom("dnc_phones")
    .innerJoin("leads", "leads.phone", "dnc_phones.phone")
    .where(createdBetween(p.from, p.to, p.timezone))
    .where((eb) => eb.or([eb("leads.final_outcome", "is", null), eb("leads.final_outcome", "!=", "DNC")]))
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return row.n;
}

/**
 * Leads of the period flagged daily_max_reached that were in fact called today (not a stale flag):
 * from today's placed calls (one day of the (campaign_day, lead_id) index) to their leads.
 */
async function countDailyMaxReachedToday(db: Db, p: ReportPeriod): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n
    FROM (SELECT DISTINCT lead_id FROM call_attempts
          WHERE campaign_day = ${p.today}::text::date AND state <> 'not_placed') called
    JOIN leads l ON l.id = called.lead_id
    WHERE l.status = 'daily_max_reached'
      AND l.created_at >= ${dayStart(p.from, p.timezone)} AND l.created_at < ${dayEnd(p.to, p.timezone)}`.execute(
    db,
  );
  return rows[0]?.n ?? 0;
}
