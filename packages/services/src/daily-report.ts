import { insertDailyReport, saveDailyReportDelivery } from "@redial/db";
import type { Notifier } from "@redial/notify";
import { breakdownReport, queueReport, rangeReport, reportPeriod, totalsReport } from "@redial/reports";
import type { RedialContext } from "./context.ts";

/** The day's numbers as the reports define them: the meeting's breakdown, the day's funnel and cost, waiting reasons. */
export async function dailyReportNumbers(ctx: RedialContext, day: string) {
  const period = await reportPeriod(ctx, { to: day });
  const [breakdown, range, totals, queue] = await Promise.all([
    breakdownReport(ctx.db, period),
    rangeReport(ctx.db, { ...period, from: day, to: day }),
    totalsReport(ctx.db, { timezone: period.timezone, today: period.today }),
    queueReport(ctx.db, { now: ctx.now() }),
  ]);
  return {
    day,
    timezone: period.timezone,
    breakdown,
    day_calls: range.total,
    totals,
    waiting: queue.waiting.slice(0, 5),
  };
}

export type DailyReportNumbers = Awaited<ReturnType<typeof dailyReportNumbers>>;

/** The numbers as plain text lines (mail body, Slack block, the console's copy). */
export function dailyReportText(n: DailyReportNumbers): string {
  const b = n.breakdown;
  const d = n.day_calls;
  const money = (v: number | null) => (v === null ? "—" : v.toFixed(2));
  const pct = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(1)}%`);
  const row = (label: string, value: string | number) => `  ${label.padEnd(34)}${value}`;
  return [
    `Redial daily report — ${n.day} (${n.timezone})`,
    "",
    `Leads created ${b.from} … ${b.to} (the meeting's numbers)`,
    row("leads in period", b.leads_in_period),
    row("still redialing", b.still_redialing),
    row("transferred, still redialing", b.transferred_still_redialing),
    row("completed SALE", b.completed_sale),
    row("completed DNC", b.completed_dnc),
    row("paused", b.paused),
    row("total non-sale", b.total_non_sale),
    row("total non-DNC", b.total_non_dnc),
    "",
    `Calls on ${n.day}`,
    row("calls placed", d.calls_placed),
    row("redials", d.redials),
    row("unique leads called", d.unique_leads_called),
    row("answered", d.answered),
    row("reached", d.reached),
    row("transfers", d.transfers),
    row("sale calls", d.sale_calls),
    row("sold leads", d.sold_leads),
    row("DNC leads", d.dnc_leads),
    row("connectivity rate", pct(d.connectivity_rate)),
    row("transfer rate", pct(d.transfer_rate)),
    row("cost", money(d.cost)),
    row("cost per transfer", money(d.cost_per_transfer)),
    row("cost per sale", money(d.cost_per_sale)),
    "",
    "Queue now",
    row("still redialing (all leads)", n.totals.still_redialing),
    row("daily max reached today", n.totals.daily_max_reached_today),
    row("paused", n.totals.paused),
    "Top waiting reasons",
    ...n.waiting.map((w) => row(w.reason, w.leads)),
  ].join("\n");
}

/**
 * Store the day's report and send it (the `daily-report` cron at DAILY_REPORT_TIME, campaign time).
 * Once per day fleet-wide: a second run for a stored day sends nothing.
 */
export async function deliverDailyReport(
  ctx: RedialContext,
  notifier: Notifier,
  day: string,
): Promise<"sent" | "already_sent"> {
  const numbers = await dailyReportNumbers(ctx, day);
  const text = dailyReportText(numbers);
  if (!(await insertDailyReport(ctx.db, { day, numbers, text }))) return "already_sent";
  const delivery = await notifier.send({ subject: `Redial daily report ${day}`, text });
  await saveDailyReportDelivery(ctx.db, day, delivery);
  ctx.log.info({ day, deliveredTo: delivery.deliveredTo, errors: delivery.errors }, "daily report");
  return "sent";
}
