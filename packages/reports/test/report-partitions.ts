import { expect } from "vitest";
import type { Breakdown, RangeReport, RangeRow, TodayStatistics, Totals } from "../src/index.ts";

/**
 * The sums the glossary promises (README "What adds up"), asserted on any report: each names the
 * partition it checks, so a failure says which promise broke.
 */
const sum = (values: Iterable<number>) => [...values].reduce((total, n) => total + n, 0);

export function expectBreakdownAddsUp(r: Breakdown): void {
  const where = `breakdown ${r.from}..${r.to}`;
  expect(r.completed_sale + r.completed_dnc + r.still_redialing + r.paused, `${where}: standings`).toBe(
    r.leads_in_period,
  );
  expect(r.still_redialing + r.paused, `${where}: non-sale non-DNC`).toBe(r.non_sale_non_dnc);
  expect(r.leads_in_period - r.completed_sale, `${where}: non-sale`).toBe(r.total_non_sale);
  expect(r.leads_in_period - r.completed_dnc, `${where}: non-DNC`).toBe(r.total_non_dnc);
  expect(
    r.transferred_completed_sale +
      r.transferred_completed_dnc +
      r.transferred_still_redialing +
      r.transferred_paused,
    `${where}: ever transferred by standing`,
  ).toBe(r.ever_transferred);
  expect(sum(Object.values(r.still_redialing_by_last_outcome)), `${where}: last outcomes`).toBe(
    r.still_redialing,
  );
  expect(r.transferred_still_redialing, `${where}: transferred ⊆ still redialing`).toBeLessThanOrEqual(
    r.still_redialing,
  );
  expect(r.daily_max_reached_today, `${where}: daily max ⊆ still redialing`).toBeLessThanOrEqual(
    r.still_redialing,
  );
  expect(r.on_dnc_list, `${where}: on the DNC list ⊆ leads`).toBeLessThanOrEqual(r.leads_in_period);
}

export function expectTotalsAddUp(r: Totals): void {
  expect(r.completed_sale + r.completed_dnc + r.still_redialing + r.paused, "totals: standings").toBe(
    r.total_leads,
  );
  expect(r.created_today + r.created_yesterday + r.created_older, "totals: created").toBe(r.total_leads);
  expect(r.completed_sale + r.completed_dnc, "totals: completed").toBe(r.completed);
  expect(r.daily_max_reached_today, "totals: daily max ⊆ still redialing").toBeLessThanOrEqual(
    r.still_redialing,
  );
}

export function expectRangeRowAddsUp(row: Omit<RangeRow, "day">, where: string): void {
  expect(row.calls_ended + row.calls_in_progress, `${where}: ended + in progress`).toBe(row.calls_placed);
  expect(row.first_calls + row.redials, `${where}: first calls + redials`).toBe(row.calls_placed);
  expect(sum(Object.values(row.outcome_counts)), `${where}: outcomes`).toBe(row.calls_ended);
  expect(row.transferred, `${where}: transferred = outcome_counts.transferred`).toBe(
    row.outcome_counts.transferred,
  );
  expect(row.sale_calls, `${where}: sale calls = outcome_counts.sale`).toBe(row.outcome_counts.sale);
  expect(row.unique_leads_called, `${where}: leads called ≤ calls`).toBeLessThanOrEqual(row.calls_placed);
  // Each rate's numerator is a subset of its divisor: never above 1.
  expect(row.answered, `${where}: answered ⊆ reached`).toBeLessThanOrEqual(row.reached);
  expect(row.transfers, `${where}: transfers ⊆ reached`).toBeLessThanOrEqual(row.reached);
  expect(row.reached, `${where}: reached ⊆ ended`).toBeLessThanOrEqual(row.calls_ended);
  for (const rate of [row.connectivity_rate, row.transfer_rate]) {
    if (rate !== null) expect(rate, `${where}: a rate`).toBeLessThanOrEqual(1);
  }
}

export function expectRangeAddsUp(r: RangeReport): void {
  for (const row of [...r.days, r.total]) expectRangeRowAddsUp(row, `range ${row.day}`);
  const days = r.days;
  for (const key of ["calls_placed", "redials", "sold_leads", "dnc_leads", "reached", "transfers"] as const) {
    expect(sum(days.map((d) => d[key])), `range total: ${key}`).toBe(r.total[key]);
  }
}

export function expectStatisticsAddUp(s: TodayStatistics): void {
  expect(s.total_calls, "statistics: total_calls = calls_placed").toBe(s.calls_placed);
  expectRangeRowAddsUp(s, `statistics ${s.date}`);
  expect(s.daily_max_reached_today, "statistics: daily max ⊆ still redialing").toBeLessThanOrEqual(
    s.still_redialing,
  );
}
