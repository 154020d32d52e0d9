import type { Db } from "@redial/db";
import { callingMinutesOnDay, campaignDay, type SchedulerConfig } from "@redial/domain";
import { sql } from "kysely";
import type { CapacityInput, DialLimits } from "./capacity-report.ts";
import { addDays, type ReportPeriod } from "./report-period.ts";

/** The campaign calendar and the clock, as the edges hold them (RedialContext has both). */
export interface ReportClock {
  calendar: { get(): Promise<SchedulerConfig> };
  now: () => Date;
}

/** A report period in campaign days; `from`/`to` default to the last 30 days up to today. */
export async function reportPeriod(
  ctx: ReportClock,
  range: { from?: string | undefined; to?: string | undefined },
): Promise<ReportPeriod> {
  const calendar = await ctx.calendar.get();
  const today = campaignDay(ctx.now(), calendar);
  return {
    from: range.from ?? addDays(today, -30),
    to: range.to ?? today,
    timezone: calendar.timezone,
    today,
  };
}

/** The fleet's dial limits (DIAL_RATE_PER_SECOND, DIAL_MAX_CONCURRENT, DIAL_MAX_PER_HOUR/_PER_DAY). */
export type FleetDialLimits = Omit<DialLimits, "avgCallSeconds">;

/**
 * What the capacity report compares against: the longest campaign window of the coming week, the
 * per-lead daily cap, the fleet's dial limits, and the average call length of the last 7 days
 * (60 s when there is no history yet).
 */
export async function capacityInput(
  ctx: ReportClock & { db: Db; policy: { maxPerDay: number } },
  limits: FleetDialLimits,
): Promise<CapacityInput> {
  const calendar = await ctx.calendar.get();
  const { rows } = await sql<{ avg: number | null }>`
    SELECT avg(duration_seconds)::float8 AS avg FROM call_attempts
    WHERE state = 'ended' AND dialed_at >= ${new Date(ctx.now().getTime() - 7 * 86_400_000)}`.execute(ctx.db);
  return {
    callingMinutesPerDay: longestCampaignWindow(calendar, ctx.now()),
    maxPerDay: ctx.policy.maxPerDay,
    dialLimits: { ...limits, avgCallSeconds: Math.max(1, Math.round(rows[0]?.avg ?? 60)) },
  };
}

function longestCampaignWindow(calendar: SchedulerConfig, now: Date): number {
  const today = campaignDay(now, calendar);
  let longest = 0;
  for (let i = 0; i < 7; i++) {
    const day = addDays(today, i);
    longest = Math.max(
      longest,
      callingMinutesOnDay(day, { timezones: [calendar.timezone], states: [] }, calendar),
    );
  }
  return longest;
}
