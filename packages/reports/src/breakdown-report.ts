import type { Db } from "@redial/db";
import { leadGroupsCreated } from "./lead-rollup.ts";
import {
  countDailyMaxReachedToday,
  countLeads,
  countOnDncList,
  type LastOutcomeCounts,
} from "./lead-standing.ts";
import { checkPeriod, dayEnd, dayStart, type ReportPeriod } from "./report-period.ts";

/**
 * The leads created in a period, by where they stand: the meeting's numbers. Every field is
 * defined in packages/reports/README.md; completed_sale + completed_dnc + still_redialing + paused
 * = leads_in_period.
 */
export interface Breakdown {
  report: "breakdown";
  from: string;
  to: string;
  timezone: string;
  today: string;
  leads_in_period: number;
  completed_sale: number;
  completed_dnc: number;
  still_redialing: number;
  paused: number;
  non_sale_non_dnc: number;
  total_non_sale: number;
  total_non_dnc: number;
  transferred_still_redialing: number;
  ever_transferred: number;
  transferred_completed_sale: number;
  transferred_completed_dnc: number;
  transferred_paused: number;
  still_redialing_by_last_outcome: LastOutcomeCounts;
  daily_max_reached_today: number;
  on_dnc_list: number;
}

export async function breakdownReport(db: Db, p: ReportPeriod): Promise<Breakdown> {
  checkPeriod(p);
  const created = { start: dayStart(p.from, p.timezone), end: dayEnd(p.to, p.timezone) };
  const [counts, dailyMax, onDncList] = await Promise.all([
    countLeads(db, leadGroupsCreated(created.start, created.end)),
    countDailyMaxReachedToday(db, p.today, created),
    countOnDncList(db, created),
  ]);
  return {
    report: "breakdown",
    from: p.from,
    to: p.to,
    timezone: p.timezone,
    today: p.today,
    leads_in_period: counts.leads,
    completed_sale: counts.completed_sale,
    completed_dnc: counts.completed_dnc,
    still_redialing: counts.still_redialing,
    paused: counts.paused,
    non_sale_non_dnc: counts.still_redialing + counts.paused,
    total_non_sale: counts.leads - counts.completed_sale,
    total_non_dnc: counts.leads - counts.completed_dnc,
    transferred_still_redialing: counts.transferred_still_redialing,
    ever_transferred: counts.ever_transferred,
    transferred_completed_sale: counts.transferred_completed_sale,
    transferred_completed_dnc: counts.transferred_completed_dnc,
    transferred_paused: counts.transferred_paused,
    still_redialing_by_last_outcome: counts.still_redialing_by_last_outcome,
    daily_max_reached_today: dailyMax,
    on_dnc_list: onDncList,
  };
}
