import { callingMinutesOnDay, campaignDay, type SchedulerConfig } from "@redial/domain";
import type { CapacityInput, ReportPeriod } from "@redial/reports";
import { sql } from "kysely";
import { DateTime } from "luxon";
import { z } from "zod";
import type { RedialContext } from "./context.ts";

/** The fleet's dial limits as the environment states them (worker, api and cli read the same names). */
export const dialLimitsEnv = {
  DIAL_RATE_PER_SECOND: z.coerce.number().positive().default(5),
  DIAL_MAX_CONCURRENT: z.coerce.number().int().positive().default(10),
  DIAL_MAX_PER_HOUR: z.coerce.number().int().positive().optional(),
  DIAL_MAX_PER_DAY: z.coerce.number().int().positive().optional(),
};

export interface DialLimitsConfig {
  DIAL_RATE_PER_SECOND: number;
  DIAL_MAX_CONCURRENT: number;
  DIAL_MAX_PER_HOUR?: number | undefined;
  DIAL_MAX_PER_DAY?: number | undefined;
}

/** A report period in campaign days; `from`/`to` default to the last 30 days up to today. */
export async function reportPeriod(
  ctx: Pick<RedialContext, "calendar" | "now">,
  range: { from?: string | undefined; to?: string | undefined },
): Promise<ReportPeriod> {
  const calendar = await ctx.calendar.get();
  const today = campaignDay(ctx.now(), calendar);
  const from = range.from ?? DateTime.fromISO(today).minus({ days: 30 }).toISODate() ?? today;
  return { from, to: range.to ?? today, timezone: calendar.timezone, today };
}

/**
 * What the capacity report compares against: the longest campaign window of the coming week, the
 * per-lead daily cap, the fleet's dial limits, and the average call length of the last 7 days
 * (60 s when there is no history yet).
 */
export async function capacityInput(
  ctx: Pick<RedialContext, "db" | "calendar" | "now" | "policy">,
  limits: DialLimitsConfig,
): Promise<CapacityInput> {
  const calendar = await ctx.calendar.get();
  const { rows } = await sql<{ avg: number | null }>`
    SELECT avg(duration_seconds)::float8 AS avg FROM call_attempts
    WHERE state = 'ended' AND dialed_at >= ${new Date(ctx.now().getTime() - 7 * 86_400_000)}`.execute(ctx.db);
  return {
    callingMinutesPerDay: longestCampaignWindow(calendar, ctx.now()),
    maxPerDay: ctx.policy.maxPerDay,
    dialLimits: {
      ratePerSecond: limits.DIAL_RATE_PER_SECOND,
      maxConcurrent: limits.DIAL_MAX_CONCURRENT,
      maxPerHour: limits.DIAL_MAX_PER_HOUR ?? null,
      maxPerDay: limits.DIAL_MAX_PER_DAY ?? null,
      avgCallSeconds: Math.max(1, Math.round(rows[0]?.avg ?? 60)),
    },
  };
}

function longestCampaignWindow(calendar: SchedulerConfig, now: Date): number {
  const today = DateTime.fromISO(campaignDay(now, calendar));
  let longest = 0;
  for (let i = 0; i < 7; i++) {
    const day = today.plus({ days: i }).toISODate() ?? "";
    longest = Math.max(
      longest,
      callingMinutesOnDay(day, { timezones: [calendar.timezone], states: [] }, calendar),
    );
  }
  return longest;
}
