import type { Db } from "@redial/db";
import { OUTCOMES } from "@redial/domain";
import { sql } from "kysely";
import { type OutcomeKey, outcomeKey } from "./breakdown-report.ts";
import { checkPeriod, dayEnd, dayStart, daysBetween, type ReportPeriod } from "./report-period.ts";

/** One campaign day of the range report, or the whole period (`day: "total"`). */
export interface RangeRow {
  day: string;
  leads_created: number;
  calls_placed: number;
  redials: number;
  unique_leads_called: number;
  outcome_counts: Record<OutcomeKey, number>;
  answered: number;
  transferred: number;
  sales: number;
  connectivity_rate: number | null;
  transfer_rate: number | null;
  cost: number;
  cost_per_transfer: number | null;
  cost_per_sale: number | null;
}

export interface RangeReport {
  report: "range";
  from: string;
  to: string;
  timezone: string;
  days: RangeRow[];
  total: RangeRow;
}

/** What the database returns per campaign day that had calls. */
interface CallDayRow extends Record<`o_${OutcomeKey}`, number> {
  day: string;
  calls_placed: number;
  answered: number;
  transferred: number;
  cost: number;
}

interface LeadsCalled {
  byDay: Map<string, { unique_leads_called: number; first_calls: number }>;
  uniqueTotal: number;
}

/** Counts that add up over days; rates and unit costs are derived from them. */
type Sums = Omit<
  RangeRow,
  "day" | "connectivity_rate" | "transfer_rate" | "cost_per_transfer" | "cost_per_sale"
>;

export async function rangeReport(db: Db, p: ReportPeriod): Promise<RangeReport> {
  checkPeriod(p);
  const [created, calls, called] = await Promise.all([
    leadsCreatedByDay(db, p),
    callsByDay(db, p),
    leadsCalledByDay(db, p),
  ]);
  const days = daysBetween(p.from, p.to).map((day) => {
    const row = calls.get(day);
    const leads = called.byDay.get(day);
    return rangeRow(day, {
      leads_created: created.get(day) ?? 0,
      calls_placed: row?.calls_placed ?? 0,
      redials: (row?.calls_placed ?? 0) - (leads?.first_calls ?? 0),
      unique_leads_called: leads?.unique_leads_called ?? 0,
      outcome_counts: outcomeCounts(row),
      answered: row?.answered ?? 0,
      transferred: row?.transferred ?? 0,
      sales: row?.o_sale ?? 0,
      cost: roundMoney(row?.cost ?? 0),
    });
  });
  const uniqueTotal = called.uniqueTotal;
  return {
    report: "range",
    from: p.from,
    to: p.to,
    timezone: p.timezone,
    days,
    total: totalRow(days, uniqueTotal),
  };
}

function outcomeCounts(row: CallDayRow | undefined): Record<OutcomeKey, number> {
  const counts = {} as Record<OutcomeKey, number>;
  for (const outcome of OUTCOMES) counts[outcomeKey(outcome)] = row?.[`o_${outcomeKey(outcome)}`] ?? 0;
  return counts;
}

function totalRow(days: RangeRow[], uniqueLeadsCalled: number): RangeRow {
  const add = (pick: (row: RangeRow) => number) => days.reduce((sum, row) => sum + pick(row), 0);
  const outcome_counts = {} as Record<OutcomeKey, number>;
  for (const outcome of OUTCOMES) {
    outcome_counts[outcomeKey(outcome)] = add((row) => row.outcome_counts[outcomeKey(outcome)]);
  }
  return rangeRow("total", {
    leads_created: add((row) => row.leads_created),
    calls_placed: add((row) => row.calls_placed),
    redials: add((row) => row.redials),
    unique_leads_called: uniqueLeadsCalled,
    outcome_counts,
    answered: add((row) => row.answered),
    transferred: add((row) => row.transferred),
    sales: add((row) => row.sales),
    cost: roundMoney(add((row) => row.cost)),
  });
}

function rangeRow(day: string, s: Sums): RangeRow {
  return {
    day,
    ...s,
    connectivity_rate: ratio(s.answered, s.calls_placed),
    transfer_rate: ratio(s.transferred, s.answered),
    cost_per_transfer: ratio(s.cost, s.transferred),
    cost_per_sale: ratio(s.cost, s.sales),
  };
}

/** n ÷ d, or null when d is 0 (a rate over nothing is unknown, not zero). */
export function ratio(n: number, d: number): number | null {
  return d === 0 ? null : n / d;
}

/** Prices are USD with 4 decimals: keep sums there, away from float noise. */
function roundMoney(usd: number): number {
  return Math.round(usd * 10_000) / 10_000;
}

async function leadsCreatedByDay(db: Db, p: ReportPeriod): Promise<Map<string, number>> {
  const { rows } = await sql<{ day: string; n: number }>`
    SELECT (created_at AT TIME ZONE ${p.timezone}::text)::date::text AS day, count(*)::int AS n
    FROM leads
    WHERE created_at >= ${dayStart(p.from, p.timezone)} AND created_at < ${dayEnd(p.to, p.timezone)}
    GROUP BY 1`.execute(db);
  return new Map(rows.map((row) => [row.day, row.n]));
}

/** Placed calls (not_placed is not a call) per campaign day: every count that adds up over days. */
async function callsByDay(db: Db, p: ReportPeriod): Promise<Map<string, CallDayRow>> {
  const outcomeCounts = sql.join(
    OUTCOMES.map(
      (o) => sql`count(*) FILTER (WHERE outcome = ${sql.lit(o)})::int AS ${sql.ref(`o_${outcomeKey(o)}`)}`,
    ),
  );
  const { rows } = await sql<CallDayRow>`
    SELECT campaign_day::text AS day, count(*)::int AS calls_placed,
           count(*) FILTER (WHERE answered)::int AS answered,
           count(*) FILTER (WHERE transferred)::int AS transferred,
           coalesce(sum(price), 0) AS cost, ${outcomeCounts}
    FROM call_attempts
    WHERE campaign_day BETWEEN ${p.from}::text::date AND ${p.to}::text::date AND state <> 'not_placed'
    GROUP BY campaign_day`.execute(db);
  return new Map(rows.map((row) => [row.day, row]));
}

/**
 * Distinct leads called per day and over the period, and per day the leads whose first call ever
 * was that day. A lead's first call ever is its earliest placed call: in the period when the lead
 * has no placed call before `from`. Redials are the placed calls that are not a lead's first.
 */
async function leadsCalledByDay(db: Db, p: ReportPeriod): Promise<LeadsCalled> {
  const { rows } = await sql<{
    day: string;
    unique_leads_called: number;
    first_calls: number;
    unique_total: number;
  }>`
    WITH pairs AS MATERIALIZED (
      SELECT campaign_day, lead_id FROM call_attempts
      WHERE campaign_day BETWEEN ${p.from}::text::date AND ${p.to}::text::date AND state <> 'not_placed'
      GROUP BY campaign_day, lead_id
    ), firsts AS MATERIALIZED (
      SELECT lead_id, min(campaign_day) AS first_day FROM pairs GROUP BY lead_id
    ), first_calls AS (
      SELECT first_day, count(*)::int AS n FROM firsts f
      WHERE NOT EXISTS (
        SELECT 1 FROM call_attempts b
        WHERE b.lead_id = f.lead_id AND b.campaign_day < ${p.from}::text::date AND b.state <> 'not_placed'
      )
      GROUP BY first_day
    ), per_day AS (
      SELECT campaign_day, count(*)::int AS n FROM pairs GROUP BY campaign_day
    )
    SELECT d.campaign_day::text AS day, d.n AS unique_leads_called, coalesce(fc.n, 0) AS first_calls,
           (SELECT count(*)::int FROM firsts) AS unique_total
    FROM per_day d LEFT JOIN first_calls fc ON fc.first_day = d.campaign_day`.execute(db);
  return {
    byDay: new Map(rows.map((row) => [row.day, row])),
    uniqueTotal: rows[0]?.unique_total ?? 0,
  };
}
