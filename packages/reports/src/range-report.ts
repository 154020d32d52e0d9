import type { Db } from "@redial/db";
import { OUTCOMES } from "@redial/domain";
import { type OutcomeKey, outcomeKey } from "./lead-standing.ts";
import { type CallDay, type RangeDays, readRangeDays } from "./range-days.ts";
import { checkPeriod, daysBetween, type ReportPeriod } from "./report-period.ts";

/**
 * One campaign day of the range report, or the whole period (`day: "total"`). Defined in README.md;
 * calls_placed = calls_ended + calls_in_progress = first_calls + redials; calls_ended = the sum of
 * outcome_counts; transferred = outcome_counts.transferred; sale_calls = outcome_counts.sale.
 */
export interface RangeRow {
  day: string;
  leads_created: number;
  calls_placed: number;
  calls_ended: number;
  calls_in_progress: number;
  first_calls: number;
  redials: number;
  unique_leads_called: number;
  outcome_counts: Record<OutcomeKey, number>;
  answered: number;
  reached: number;
  transfers: number;
  transferred: number;
  sale_calls: number;
  sold_leads: number;
  dnc_leads: number;
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

/** Counts that add up over days; rates and unit costs are derived from them. */
type Sums = Omit<
  RangeRow,
  "day" | "calls_ended" | "connectivity_rate" | "transfer_rate" | "cost_per_transfer" | "cost_per_sale"
>;

export async function rangeReport(db: Db, p: ReportPeriod): Promise<RangeReport> {
  checkPeriod(p);
  const read = await readRangeDays(db, p);
  const days = daysBetween(p.from, p.to).map((day) => rangeRow(day, daySums(day, read)));
  return {
    report: "range",
    from: p.from,
    to: p.to,
    timezone: p.timezone,
    days,
    total: totalRow(days, read.leadsCalled.uniqueTotal),
  };
}

function daySums(day: string, read: RangeDays): Sums {
  const calls = read.calls.get(day);
  const called = read.leadsCalled.byDay.get(day);
  const completed = read.completed.get(day);
  const firstCalls = called?.first_calls ?? 0;
  const answered = calls?.answered ?? 0;
  return {
    leads_created: read.leadsCreated.get(day) ?? 0,
    calls_placed: calls?.calls_placed ?? 0,
    calls_in_progress: calls?.calls_in_progress ?? 0,
    first_calls: firstCalls,
    redials: (calls?.calls_placed ?? 0) - firstCalls,
    unique_leads_called: called?.unique_leads_called ?? 0,
    outcome_counts: outcomeCounts(calls),
    answered,
    reached: answered + (read.transferredUnanswered.get(day) ?? 0),
    transfers: calls?.transfers ?? 0,
    transferred: calls?.o_transferred ?? 0,
    sale_calls: calls?.o_sale ?? 0,
    sold_leads: completed?.sold_leads ?? 0,
    dnc_leads: completed?.dnc_leads ?? 0,
    cost: roundMoney(calls?.cost ?? 0),
  };
}

function outcomeCounts(row: CallDay | undefined): Record<OutcomeKey, number> {
  const counts = {} as Record<OutcomeKey, number>;
  for (const outcome of OUTCOMES) counts[outcomeKey(outcome)] = row?.[`o_${outcomeKey(outcome)}`] ?? 0;
  return counts;
}

/** Every count summed over the days, except unique leads: distinct over the whole period. */
function totalRow(days: RangeRow[], uniqueLeadsCalled: number): RangeRow {
  const add = (pick: (row: RangeRow) => number) => days.reduce((sum, row) => sum + pick(row), 0);
  const outcome_counts = {} as Record<OutcomeKey, number>;
  for (const outcome of OUTCOMES) {
    outcome_counts[outcomeKey(outcome)] = add((row) => row.outcome_counts[outcomeKey(outcome)]);
  }
  return rangeRow("total", {
    leads_created: add((row) => row.leads_created),
    calls_placed: add((row) => row.calls_placed),
    calls_in_progress: add((row) => row.calls_in_progress),
    first_calls: add((row) => row.first_calls),
    redials: add((row) => row.redials),
    unique_leads_called: uniqueLeadsCalled,
    outcome_counts,
    answered: add((row) => row.answered),
    reached: add((row) => row.reached),
    transfers: add((row) => row.transfers),
    transferred: add((row) => row.transferred),
    sale_calls: add((row) => row.sale_calls),
    sold_leads: add((row) => row.sold_leads),
    dnc_leads: add((row) => row.dnc_leads),
    cost: roundMoney(add((row) => row.cost)),
  });
}

/** A row in the README's field order, with its rates: each numerator is a subset of its divisor. */
function rangeRow(day: string, s: Sums): RangeRow {
  const calls_ended = s.calls_placed - s.calls_in_progress;
  return {
    day,
    leads_created: s.leads_created,
    calls_placed: s.calls_placed,
    calls_ended,
    calls_in_progress: s.calls_in_progress,
    first_calls: s.first_calls,
    redials: s.redials,
    unique_leads_called: s.unique_leads_called,
    outcome_counts: s.outcome_counts,
    answered: s.answered,
    reached: s.reached,
    transfers: s.transfers,
    transferred: s.transferred,
    sale_calls: s.sale_calls,
    sold_leads: s.sold_leads,
    dnc_leads: s.dnc_leads,
    connectivity_rate: ratio(s.reached, calls_ended),
    transfer_rate: ratio(s.transfers, s.reached),
    cost: s.cost,
    cost_per_transfer: ratio(s.cost, s.transfers),
    cost_per_sale: ratio(s.cost, s.sold_leads),
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
