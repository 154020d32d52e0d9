import type { Db } from "@redial/db";
import { campaignDay } from "@redial/domain";
import { sql } from "kysely";
import type { RedialContext } from "./context.ts";

/** The seed's `GET /api/admin/statistics/today` (`jq .total_calls`), over today's campaign day. */
export interface TodayStatistics {
  date: string;
  total_calls: number;
  unique_leads_called: number;
  answered: number;
  transferred: number;
  sales: number;
  dnc: number;
  voicemail: number;
  no_answer: number;
  busy: number;
  failed: number;
  callbacks: number;
  in_progress: number;
  active_leads: number;
  daily_max_reached: number;
  cost: number;
}

export async function statisticsToday(
  ctx: Pick<RedialContext, "db" | "calendar" | "now">,
): Promise<TodayStatistics> {
  const day = campaignDay(ctx.now(), await ctx.calendar.get());
  return statisticsForDay(ctx.db, day);
}

export async function statisticsForDay(db: Db, day: string): Promise<TodayStatistics> {
  const calls = await sql<Omit<TodayStatistics, "date" | "active_leads" | "daily_max_reached">>`
    SELECT
      count(*)::int AS total_calls,
      count(DISTINCT lead_id)::int AS unique_leads_called,
      count(*) FILTER (WHERE answered)::int AS answered,
      count(*) FILTER (WHERE transferred)::int AS transferred,
      count(*) FILTER (WHERE outcome = 'SALE')::int AS sales,
      count(*) FILTER (WHERE outcome = 'DNC')::int AS dnc,
      count(*) FILTER (WHERE outcome = 'VOICEMAIL')::int AS voicemail,
      count(*) FILTER (WHERE outcome = 'NO_ANSWER')::int AS no_answer,
      count(*) FILTER (WHERE outcome = 'BUSY')::int AS busy,
      count(*) FILTER (WHERE outcome = 'FAILED')::int AS failed,
      count(*) FILTER (WHERE outcome = 'CALLBACK')::int AS callbacks,
      count(*) FILTER (WHERE state IN ('dialing', 'in_progress'))::int AS in_progress,
      coalesce(sum(price), 0)::float8 AS cost
    FROM call_attempts
    WHERE campaign_day = ${day} AND state != 'not_placed'`.execute(db);
  const leads = await sql<{ active_leads: number; daily_max_reached: number }>`
    SELECT
      count(*) FILTER (WHERE status = 'active')::int AS active_leads,
      count(*) FILTER (WHERE status = 'daily_max_reached')::int AS daily_max_reached
    FROM leads WHERE status IN ('active', 'daily_max_reached')`.execute(db);
  const row = calls.rows[0];
  const leadRow = leads.rows[0];
  if (!row || !leadRow) throw new Error("statistics query returned no row");
  return { date: day, ...row, cost: Math.round(row.cost * 10_000) / 10_000, ...leadRow };
}
