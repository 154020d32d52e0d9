import { countDialsSince, countOpenAttempts, type Database, type Transaction } from "@redial/db";
import { campaignDay, type SchedulerConfig } from "@redial/domain";
import { sql } from "kysely";
import { DateTime } from "luxon";

/** Limits across the whole fleet of workers, counted in PostgreSQL so they survive restarts. */
export interface DialLimits {
  maxConcurrent: number;
  maxPerHour: number | null;
  maxPerDay: number | null;
}

export type Capacity = { ok: true } | { ok: false; retryAt: Date; reason: string };

/** Any constant: every worker takes this transaction lock before counting and recording a dial. */
const DIAL_LOCK_KEY = 7_301_992;

/**
 * Check the fleet limits, counting the attempt the caller's transaction has just recorded, and
 * hold the dial lock until that transaction ends, so two workers can never both take the last
 * free slot. The count is its own statement after the lock, so it sees every dial committed by
 * the lock's previous holder.
 */
export async function reserveDialCapacity(
  trx: Transaction<Database>,
  limits: DialLimits,
  calendar: SchedulerConfig,
  now: Date,
): Promise<Capacity> {
  await sql`SELECT pg_advisory_xact_lock(${DIAL_LOCK_KEY})`.execute(trx);
  const dayStart = DateTime.fromISO(campaignDay(now, calendar), { zone: calendar.timezone })
    .startOf("day")
    .toJSDate();
  // Only the limits that are set are counted: each count runs under the fleet lock.
  const inProgress = await countOpenAttempts(trx);
  if (inProgress > limits.maxConcurrent) {
    return {
      ok: false,
      retryAt: new Date(now.getTime() + 2_000),
      reason: `fleet limit: ${limits.maxConcurrent} calls in progress (DIAL_MAX_CONCURRENT)`,
    };
  }
  if (
    limits.maxPerHour !== null &&
    (await countDialsSince(trx, new Date(now.getTime() - 3_600_000))) > limits.maxPerHour
  ) {
    return {
      ok: false,
      retryAt: new Date(now.getTime() + 60_000),
      reason: `fleet limit: ${limits.maxPerHour} calls in the last hour (DIAL_MAX_PER_HOUR)`,
    };
  }
  if (limits.maxPerDay !== null && (await countDialsSince(trx, dayStart)) > limits.maxPerDay) {
    const tomorrow = DateTime.fromJSDate(dayStart, { zone: calendar.timezone }).plus({ days: 1 }).toJSDate();
    return {
      ok: false,
      retryAt: tomorrow,
      reason: `fleet limit: ${limits.maxPerDay} calls today (DIAL_MAX_PER_DAY)`,
    };
  }
  return { ok: true };
}
