import { OUTCOMES } from "@redial/domain";
import type { Breakdown } from "./breakdown-report.ts";
import type { Capacity } from "./capacity-report.ts";
import { outcomeKey } from "./lead-standing.ts";
import type { RangeReport, RangeRow } from "./range-report.ts";
import type { Totals } from "./totals-report.ts";

type Line = [label: string, value: string];

const count = (n: number) => n.toLocaleString("en-US");
const percent = (r: number | null) => (r === null ? "—" : `${(r * 100).toFixed(1)}%`);
const usd = (n: number | null) => (n === null ? "—" : `$${n.toFixed(2)}`);

/** Label/value lines, labels padded so values line up in one column. */
function lines(title: string, rows: Line[]): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  const body = rows.map(([label, value]) => `${label.padEnd(width)}  ${value.padStart(valueWidth)}`);
  return [title, "=".repeat(title.length), ...body].join("\n");
}

/** A grid with a header row; text columns left-aligned, the rest right-aligned. */
function grid(header: string[], rows: string[][], leftColumns = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const cell = (text: string, i: number) =>
    i < leftColumns ? text.padEnd(widths[i] ?? 0) : text.padStart(widths[i] ?? 0);
  const render = (row: string[]) => row.map(cell).join("  ").trimEnd();
  return [render(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(render)].join("\n");
}

export function breakdownTable(r: Breakdown): string {
  const byLastOutcome = r.still_redialing_by_last_outcome;
  return lines(`Detailed breakdown: leads created ${r.from} to ${r.to} (${r.timezone})`, [
    ["Total leads in period", count(r.leads_in_period)],
    ["  Completed with SALE", count(r.completed_sale)],
    ["  Completed with DNC", count(r.completed_dnc)],
    ["  Still redialing (active for redialing)", count(r.still_redialing)],
    ["  Paused (not dialed until resumed)", count(r.paused)],
    ["Still for redialing (non-sale, non-DNC)", count(r.non_sale_non_dnc)],
    ["Total non-sale", count(r.total_non_sale)],
    ["Total non-DNC", count(r.total_non_dnc)],
    ["TRANSFERRED (not sale yet), still redialing", count(r.transferred_still_redialing)],
    ["Ever transferred", count(r.ever_transferred)],
    ["  then SALE", count(r.transferred_completed_sale)],
    ["  then DNC", count(r.transferred_completed_dnc)],
    ["  still redialing", count(r.transferred_still_redialing)],
    ["  paused", count(r.transferred_paused)],
    ["Still redialing, by last outcome:", ""],
    ...OUTCOMES.map((o): Line => [`  ${o}`, count(byLastOutcome[outcomeKey(o)])]),
    ["  Never called", count(byLastOutcome.never_called)],
    ["  Other", count(byLastOutcome.other)],
    [`Daily max reached today (${r.today})`, count(r.daily_max_reached_today)],
    ["On our DNC list (whatever they stand)", count(r.on_dnc_list)],
  ]);
}

export function totalsTable(r: Totals): string {
  return lines(`Totals (lifetime), today ${r.today} (${r.timezone})`, [
    ["Total leads (lifetime)", count(r.total_leads)],
    ["  Leads from today", count(r.created_today)],
    ["  Leads from yesterday", count(r.created_yesterday)],
    ["  Leads from older days", count(r.created_older)],
    ["Completed with SALE", count(r.completed_sale)],
    ["Completed with DNC", count(r.completed_dnc)],
    ["Still redialing (active for redialing)", count(r.still_redialing)],
    ["Paused (not dialed until resumed)", count(r.paused)],
    ["Completed leads (SALE + DNC)", count(r.completed)],
    ["TRANSFERRED (not sale yet), still redialing", count(r.transferred_still_redialing)],
    [`Daily max reached today (${r.today})`, count(r.daily_max_reached_today)],
    ["On our DNC list (whatever they stand)", count(r.on_dnc_list)],
  ]);
}

export function capacityTable(r: Capacity): string {
  const limit = (n: number | null) => (n === null ? "no cap" : count(n));
  return lines("Capacity: expected daily calls against what a calling day allows", [
    ["Still redialing (active for redialing)", count(r.still_redialing)],
    ["Max calls per lead per day", count(r.max_per_day)],
    ["Expected daily calls", count(r.expected_daily_calls)],
    ["Calling minutes per day", count(r.calling_minutes_per_day)],
    ["Allowed by dial rate", limit(r.limits.rate)],
    ["Allowed by concurrency", limit(r.limits.concurrency)],
    ["Allowed by hourly cap", limit(r.limits.hourly_cap)],
    ["Allowed by daily cap", limit(r.limits.daily_cap)],
    ["Daily capacity", count(r.daily_capacity)],
    ["Binding limit", r.binding_limit],
    ["Utilization", percent(r.utilization)],
    ["Shortfall (calls)", count(r.shortfall)],
    ["Leads fully served", count(r.leads_fully_served)],
    ["Verdict", r.verdict === "ok" ? "OK" : "OVER CAPACITY"],
  ]);
}

export function rangeTable(r: RangeReport): string {
  const rows = [...r.days, r.total];
  const metrics = grid(
    [
      "Day",
      "Leads",
      "Calls",
      "In progress",
      "Redials",
      "Leads called",
      "Answered",
      "Reached",
      "Transfers",
      "Sold leads",
      "SALE calls",
      "DNC leads",
      "Connectivity",
      "Transfer rate",
      "Cost",
      "Per transfer",
      "Per sale",
    ],
    rows.map((row: RangeRow) => [
      row.day,
      count(row.leads_created),
      count(row.calls_placed),
      count(row.calls_in_progress),
      count(row.redials),
      count(row.unique_leads_called),
      count(row.answered),
      count(row.reached),
      count(row.transfers),
      count(row.sold_leads),
      count(row.sale_calls),
      count(row.dnc_leads),
      percent(row.connectivity_rate),
      percent(row.transfer_rate),
      usd(row.cost),
      usd(row.cost_per_transfer),
      usd(row.cost_per_sale),
    ]),
  );
  const outcomes = grid(
    ["Day", ...OUTCOMES],
    rows.map((row) => [row.day, ...OUTCOMES.map((o) => count(row.outcome_counts[outcomeKey(o)]))]),
  );
  const title = `Date range report ${r.from} to ${r.to} (${r.timezone})`;
  return [title, "=".repeat(title.length), metrics, "", "Call outcomes (calls with a result)", outcomes].join(
    "\n",
  );
}
