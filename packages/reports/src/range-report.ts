import type { Db } from "@redial/db";
import { OUTCOMES } from "@redial/domain";
import { sql } from "kysely";
import { type OutcomeKey, outcomeKey } from "./breakdown-report.ts";
import { leadsCreatedCount } from "./lead-rollup.ts";
import { checkPeriod, daysBetween, type ReportPeriod } from "./report-period.ts";

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
 * summed over the report_call_days rollup (one row per day, shard and outcome).
 */
async function callsByDay(db: Db, p: ReportPeriod): Promise<Map<string, CallDayRow>> {
  const outcomeCounts = sql.join(
    OUTCOMES.map(
      (o) =>
        sql`coalesce(sum(calls) FILTER (WHERE outcome = ${sql.lit(o)}), 0)::int AS ${sql.ref(`o_${outcomeKey(o)}`)}`,
    ),
  );
  const { rows } = await sql<CallDayRow>`
    SELECT campaign_day::text AS day, sum(calls)::int AS calls_placed, sum(answered)::int AS answered,
           sum(transferred)::int AS transferred, sum(cost) AS cost, ${outcomeCounts}
    FROM report_call_days
    WHERE campaign_day BETWEEN ${p.from}::text::date AND ${p.to}::text::date
    GROUP BY campaign_day`.execute(db);
  return new Map(rows.map((row) => [row.day, row]));
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
