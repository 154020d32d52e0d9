import type { Db } from "@redial/db";
import { sql } from "kysely";
import { leadsCreatedCount } from "./lead-rollup.ts";
import { allLeadGroups, countDailyMaxReachedToday, countLeads, countOnDncList } from "./lead-standing.ts";
import { checkDay, checkTimezone, dayEnd, dayStart, previousDay } from "./report-period.ts";

/**
 * Lifetime counts over every lead: a quick snapshot of the queue's health. Defined in README.md;
 * completed_sale + completed_dnc + still_redialing + paused = total_leads, and so do
 * created_today + created_yesterday + created_older.
 */
export interface Totals {
  report: "totals";
  timezone: string;
  today: string;
  total_leads: number;
  created_today: number;
  created_yesterday: number;
  created_older: number;
  completed_sale: number;
  completed_dnc: number;
  still_redialing: number;
  paused: number;
  completed: number;
  transferred_still_redialing: number;
  daily_max_reached_today: number;
  on_dnc_list: number;
}

/** Every count from the report_leads rollup; the created_* splits read whole hours from it too. */
export async function totalsReport(db: Db, p: { timezone: string; today: string }): Promise<Totals> {
  checkDay("today", p.today);
  checkTimezone(p.timezone);
  const [counts, created, dailyMax, onDncList] = await Promise.all([
    countLeads(db, allLeadGroups()),
    countCreated(db, p),
    countDailyMaxReachedToday(db, p.today, "all"),
    countOnDncList(db, "all"),
  ]);
  return {
    report: "totals",
    timezone: p.timezone,
    today: p.today,
    total_leads: counts.leads,
    ...created,
    completed_sale: counts.completed_sale,
    completed_dnc: counts.completed_dnc,
    still_redialing: counts.still_redialing,
    paused: counts.paused,
    completed: counts.completed_sale + counts.completed_dnc,
    transferred_still_redialing: counts.transferred_still_redialing,
    daily_max_reached_today: dailyMax,
    on_dnc_list: onDncList,
  };
}

async function countCreated(db: Db, p: { timezone: string; today: string }) {
  const yesterday = previousDay(p.today);
  const startOfYesterday = dayStart(yesterday, p.timezone);
  const endOfYesterday = dayEnd(yesterday, p.timezone);
  const { rows } = await sql<{ created_today: number; created_yesterday: number; created_older: number }>`
    SELECT ${leadsCreatedCount(endOfYesterday, sql<Date>`'infinity'::timestamptz`)} AS created_today,
           ${leadsCreatedCount(startOfYesterday, endOfYesterday)} AS created_yesterday,
           ${leadsCreatedCount(sql<Date>`'-infinity'::timestamptz`, startOfYesterday)} AS created_older`.execute(
    db,
  );
  const row = rows[0];
  if (!row) throw new Error("totals: the aggregate returned no row");
  return row;
}
