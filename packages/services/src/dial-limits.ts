import { countDialsSince, type Database, type Db, type Transaction } from "@redial/db";
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

/** A dial over DIAL_MAX_CONCURRENT waits this long before it looks for a free slot again. */
export const CONCURRENT_LIMIT_RETRY_MS = 2_000;

/** Any constant (also in migration 0007's dial_slot_take): the lock of the hourly and daily counts. */
const DIAL_LOCK_KEY = 7_301_992;

/**
 * Check the fleet limits for the attempt the caller's transaction has just recorded.
 * DIAL_MAX_CONCURRENT: the attempt takes a free slot (migration 0007) with SKIP LOCKED, so dials
 * never queue on each other; the slot is given back by trigger when the attempt ends.
 * DIAL_MAX_PER_HOUR / _PER_DAY, when set: a fleet-wide lock held until the caller's transaction
 * ends, then a count that sees every dial committed by the lock's previous holder.
 */
export async function reserveDialCapacity(
  trx: Transaction<Database>,
  limits: DialLimits,
  calendar: SchedulerConfig,
  now: Date,
  attemptId: number,
): Promise<Capacity> {
  const { rows } = await sql<{
    slot: number | null;
  }>`SELECT dial_slot_take(${attemptId}, ${limits.maxConcurrent}) AS slot`.execute(trx);
  if (rows[0]?.slot == null) {
    return {
      ok: false,
      retryAt: new Date(now.getTime() + CONCURRENT_LIMIT_RETRY_MS),
      reason: `fleet limit: ${limits.maxConcurrent} calls in progress (DIAL_MAX_CONCURRENT)`,
    };
  }
  if (limits.maxPerHour === null && limits.maxPerDay === null) return { ok: true };
  await sql`SELECT pg_advisory_xact_lock(${DIAL_LOCK_KEY})`.execute(trx);
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
  const dayStart = DateTime.fromISO(campaignDay(now, calendar), { zone: calendar.timezone })
    .startOf("day")
    .toJSDate();
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

/** Rolls the plan transaction back: the attempt it recorded would exceed a fleet limit. */
export class FleetLimitReached extends Error {
  readonly code = "fleet_limit_reached" as const;
  readonly retryAt: Date;
  constructor(retryAt: Date, reason: string) {
    super(reason);
    this.name = "FleetLimitReached";
    this.retryAt = retryAt;
  }
}

/** Create the DIAL_MAX_CONCURRENT slots (a worker at start, before its first dial). */
export async function ensureDialSlots(db: Db, maxConcurrent: number): Promise<void> {
  await sql`SELECT dial_slots_ensure(${maxConcurrent})`.execute(db);
}
