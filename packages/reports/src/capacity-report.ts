import type { Db } from "@redial/db";
import { sql } from "kysely";
import { STILL_REDIALING_STATUSES } from "./lead-standing.ts";
import { ReportArgumentError } from "./report-error.ts";

/** The dialer's throughput limits (Bland's and ours). Null caps are not configured. */
export interface DialLimits {
  ratePerSecond: number;
  maxConcurrent: number;
  maxPerHour: number | null;
  maxPerDay: number | null;
  avgCallSeconds: number;
}

export interface CapacityInput {
  /** Minutes of calling on a calling day, from the campaign calendar (e.g. 11:00–20:00 = 540). */
  callingMinutesPerDay: number;
  /** The per-lead cap of calls per campaign day (redial policy, default 8). */
  maxPerDay: number;
  dialLimits: DialLimits;
}

export type CapacityLimit = "rate" | "concurrency" | "hourly_cap" | "daily_cap";

export interface Capacity {
  report: "capacity";
  still_redialing: number;
  max_per_day: number;
  expected_daily_calls: number;
  calling_minutes_per_day: number;
  limits: Record<CapacityLimit, number | null>;
  daily_capacity: number;
  binding_limit: CapacityLimit;
  utilization: number | null;
  shortfall: number;
  leads_fully_served: number;
  verdict: "ok" | "over_capacity";
}

/**
 * Leads still redialing × max per day (the calls the queue asks for) against the calls a day can
 * hold. The leads are summed over the report_leads rollup (migration 0005), not counted in leads.
 */
export async function capacityReport(db: Db, p: CapacityInput): Promise<Capacity> {
  checkCapacityInput(p);
  const { rows } = await sql<{ n: number }>`
    SELECT coalesce(sum(leads), 0)::int AS n FROM report_leads
    WHERE status IN (${sql.join(STILL_REDIALING_STATUSES)})`.execute(db);
  return capacityOf(rows[0]?.n ?? 0, p);
}

/** The pure arithmetic of the capacity report, for any number of leads still redialing. */
export function capacityOf(stillRedialing: number, p: CapacityInput): Capacity {
  const limits = dailyLimits(p);
  const [binding_limit, daily_capacity] = bindingLimit(limits);
  const expected = stillRedialing * p.maxPerDay;
  return {
    report: "capacity",
    still_redialing: stillRedialing,
    max_per_day: p.maxPerDay,
    expected_daily_calls: expected,
    calling_minutes_per_day: p.callingMinutesPerDay,
    limits,
    daily_capacity,
    binding_limit,
    utilization: daily_capacity === 0 ? null : expected / daily_capacity,
    shortfall: Math.max(0, expected - daily_capacity),
    leads_fully_served:
      p.maxPerDay === 0 ? stillRedialing : Math.min(stillRedialing, Math.floor(daily_capacity / p.maxPerDay)),
    verdict: expected > daily_capacity ? "over_capacity" : "ok",
  };
}

/** Calls per day each limit allows over the calling window, whole calls (null: no such cap). */
function dailyLimits(p: CapacityInput): Record<CapacityLimit, number | null> {
  const seconds = p.callingMinutesPerDay * 60;
  const { ratePerSecond, maxConcurrent, maxPerHour, maxPerDay, avgCallSeconds } = p.dialLimits;
  return {
    rate: Math.floor(ratePerSecond * seconds),
    concurrency: Math.floor((maxConcurrent * seconds) / avgCallSeconds),
    hourly_cap: maxPerHour === null ? null : Math.floor((maxPerHour * p.callingMinutesPerDay) / 60),
    daily_cap: maxPerDay,
  };
}

function bindingLimit(limits: Record<CapacityLimit, number | null>): [CapacityLimit, number] {
  let best: [CapacityLimit, number] = ["rate", limits.rate ?? Number.POSITIVE_INFINITY];
  for (const [name, value] of Object.entries(limits) as [CapacityLimit, number | null][]) {
    if (value !== null && value < best[1]) best = [name, value];
  }
  return best;
}

function checkCapacityInput(p: CapacityInput): void {
  const numbers: [string, number | null][] = [
    ["callingMinutesPerDay", p.callingMinutesPerDay],
    ["maxPerDay", p.maxPerDay],
    ["dialLimits.ratePerSecond", p.dialLimits.ratePerSecond],
    ["dialLimits.maxConcurrent", p.dialLimits.maxConcurrent],
    ["dialLimits.maxPerHour", p.dialLimits.maxPerHour],
    ["dialLimits.maxPerDay", p.dialLimits.maxPerDay],
  ];
  for (const [name, value] of numbers) {
    if (value !== null && !(Number.isFinite(value) && value >= 0)) {
      throw new ReportArgumentError("invalid_capacity_input", `${name} must be a number ≥ 0, got ${value}.`);
    }
  }
  if (!(p.dialLimits.avgCallSeconds > 0)) {
    throw new ReportArgumentError(
      "invalid_capacity_input",
      `dialLimits.avgCallSeconds must be > 0 (the average length of a call in seconds), got ${p.dialLimits.avgCallSeconds}.`,
    );
  }
}
