import type { Db } from "@redial/db";
import { campaignDay } from "@redial/domain";
import { allLeadGroups, countDailyMaxReachedToday, countLeads } from "./lead-standing.ts";
import { type RangeRow, rangeReport } from "./range-report.ts";
import type { ReportClock } from "./report-inputs.ts";

/**
 * The seed's `GET /api/admin/statistics/today` (`jq .total_calls`): today's campaign day as a
 * range row (the glossary's names and definitions, README.md), plus where the queue stands now.
 */
export interface TodayStatistics extends Omit<RangeRow, "day"> {
  date: string;
  timezone: string;
  /** The seed's name for calls_placed. */
  total_calls: number;
  still_redialing: number;
  daily_max_reached_today: number;
  paused: number;
}

export async function statisticsToday(ctx: ReportClock & { db: Db }): Promise<TodayStatistics> {
  const calendar = await ctx.calendar.get();
  return statisticsForDay(ctx.db, { day: campaignDay(ctx.now(), calendar), timezone: calendar.timezone });
}

/** The statistics of one campaign day, as if it were today. */
export async function statisticsForDay(
  db: Db,
  p: { day: string; timezone: string },
): Promise<TodayStatistics> {
  const period = { from: p.day, to: p.day, timezone: p.timezone, today: p.day };
  const [range, leads, dailyMax] = await Promise.all([
    rangeReport(db, period),
    countLeads(db, allLeadGroups()),
    countDailyMaxReachedToday(db, p.day, "all"),
  ]);
  const { day: _day, ...row } = range.total;
  return {
    date: p.day,
    timezone: p.timezone,
    total_calls: row.calls_placed,
    ...row,
    still_redialing: leads.still_redialing,
    daily_max_reached_today: dailyMax,
    paused: leads.paused,
  };
}
