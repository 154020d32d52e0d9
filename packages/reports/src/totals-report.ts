import type { Db } from "@redial/db";
import { sql } from "kysely";
import { leadsCreatedCount } from "./lead-rollup.ts";
import { checkDay, checkTimezone, dayEnd, dayStart, previousDay } from "./report-period.ts";

/** Lifetime counts over every lead: a quick snapshot of the queue's health. */
export interface Totals {
  report: "totals";
  timezone: string;
  today: string;
  total_leads: number;
  active_for_redialing: number;
  created_today: number;
  created_yesterday: number;
  created_older: number;
  daily_max_reached: number;
  completed: number;
  completed_sale: number;
  completed_dnc: number;
  paused: number;
}

/** Every count from the report_leads rollup; the created_* splits read whole hours from it too. */
export async function totalsReport(db: Db, p: { timezone: string; today: string }): Promise<Totals> {
  checkDay("today", p.today);
  checkTimezone(p.timezone);
  const yesterday = previousDay(p.today);
  const startOfYesterday = dayStart(yesterday, p.timezone);
  const endOfYesterday = dayEnd(yesterday, p.timezone);
  const { rows } = await sql<Omit<Totals, "report" | "timezone" | "today">>`
    SELECT coalesce(sum(leads), 0)::int AS total_leads,
           coalesce(sum(leads) FILTER (WHERE status IN ('active', 'daily_max_reached')), 0)::int AS active_for_redialing,
           ${leadsCreatedCount(endOfYesterday, dayEnd(p.today, p.timezone))} AS created_today,
           ${leadsCreatedCount(startOfYesterday, endOfYesterday)} AS created_yesterday,
           ${leadsCreatedCount(sql<Date>`'-infinity'::timestamptz`, startOfYesterday)} AS created_older,
           coalesce(sum(leads) FILTER (WHERE status = 'daily_max_reached'), 0)::int AS daily_max_reached,
           coalesce(sum(leads) FILTER (WHERE status = 'completed'), 0)::int AS completed,
           coalesce(sum(leads) FILTER (WHERE final_outcome = 'SALE'), 0)::int AS completed_sale,
           coalesce(sum(leads) FILTER (WHERE final_outcome = 'DNC'), 0)::int AS completed_dnc,
           coalesce(sum(leads) FILTER (WHERE status = 'paused'), 0)::int AS paused
    FROM (SELECT status, final_outcome, sum(leads) AS leads FROM report_leads GROUP BY 1, 2) s`.execute(db);
  const row = rows[0];
  if (!row) throw new Error("totals: the aggregate returned no row");
  return { report: "totals", timezone: p.timezone, today: p.today, ...row };
}
