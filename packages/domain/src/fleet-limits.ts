import { DateTime } from "luxon";
import type { LeadSchedule } from "./lead-schedule.ts";
import { assertNever } from "./outcome.ts";
import { campaignDay, type SchedulerConfig } from "./scheduler-config.ts";

/** Limits across the whole fleet of workers (DIAL_MAX_CONCURRENT, DIAL_MAX_PER_HOUR, DIAL_MAX_PER_DAY). */
export interface DialLimits {
  maxConcurrent: number;
  maxPerHour: number | null;
  maxPerDay: number | null;
}

/** Which fleet limit a dial found full (counted by the database when the dial is written). */
export type FleetLimit = "concurrent" | "per_hour" | "per_day";

/** A dial over DIAL_MAX_CONCURRENT waits this long before it looks for a free slot again. */
export const CONCURRENT_LIMIT_RETRY_MS = 2_000;
const HOUR_LIMIT_RETRY_MS = 60_000;

/** Where the campaign day of `now` starts (campaign timezone): DIAL_MAX_PER_DAY counts the dials since. */
export function campaignDayStart(now: Date, calendar: SchedulerConfig): Date {
  return DateTime.fromISO(campaignDay(now, calendar), { zone: calendar.timezone }).startOf("day").toJSDate();
}

/** Over a fleet limit: the lead stays active and waits, saying why, until the limit may have room again. */
export function fleetLimitSchedule(
  limit: FleetLimit,
  limits: DialLimits,
  now: Date,
  calendar: SchedulerConfig,
): LeadSchedule {
  switch (limit) {
    case "concurrent":
      return hold(
        new Date(now.getTime() + CONCURRENT_LIMIT_RETRY_MS),
        `fleet limit: ${limits.maxConcurrent} calls in progress (DIAL_MAX_CONCURRENT)`,
      );
    case "per_hour":
      return hold(
        new Date(now.getTime() + HOUR_LIMIT_RETRY_MS),
        `fleet limit: ${limits.maxPerHour} calls in the last hour (DIAL_MAX_PER_HOUR)`,
      );
    case "per_day": {
      const tomorrow = DateTime.fromJSDate(campaignDayStart(now, calendar), { zone: calendar.timezone })
        .plus({ days: 1 })
        .toJSDate();
      return hold(tomorrow, `fleet limit: ${limits.maxPerDay} calls today (DIAL_MAX_PER_DAY)`);
    }
    default:
      return assertNever(limit);
  }
}

function hold(at: Date, reason: string): LeadSchedule {
  return { status: "active", nextAttemptAt: at, waitingReason: reason };
}
