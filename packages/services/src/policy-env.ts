import {
  type CallCheckSettings,
  DEFAULT_REDIAL_POLICY,
  parseIntervals,
  type RedialPolicy,
} from "@redial/domain";
import type { FleetDialLimits } from "@redial/reports";
import { z } from "zod";

const intervals = z.string().transform((text, ctx) => {
  try {
    return parseIntervals(text);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : String(error) });
    return z.NEVER;
  }
});

/** The redial rules' environment variables, shared by every process that schedules leads. */
export const redialPolicyEnv = {
  REDIAL_PROGRESSIVE_INTERVALS: intervals.default(() => [...DEFAULT_REDIAL_POLICY.intervalsMinutes]),
  REDIAL_MAX_PER_DAY: z.coerce.number().int().min(1).max(100).default(DEFAULT_REDIAL_POLICY.maxPerDay),
  REDIAL_MIN_GAP_MINUTES: z.coerce.number().min(0).max(1440).default(DEFAULT_REDIAL_POLICY.minGapMinutes),
  REDIAL_CADENCE: z.enum(["restart_daily", "continue"]).default(DEFAULT_REDIAL_POLICY.cadence),
  REDIAL_MAX_TOTAL_ATTEMPTS: z.coerce.number().int().min(1).optional(),
  BAD_NUMBER_COOLDOWN_DAYS: z.coerce
    .number()
    .min(0)
    .max(365)
    .default(DEFAULT_REDIAL_POLICY.badNumberCooldownDays),
  ANSWERED_MIN_SECONDS: z.coerce.number().min(0).max(3600).default(DEFAULT_REDIAL_POLICY.answeredMinSeconds),
  /**
   * The consent a dial needs on record: written (default: an AI voice is an artificial voice under
   * the TCPA, and sales calls by one need prior express written consent), express, or none.
   */
  CONSENT_REQUIRED: z
    .enum(["none", "express", "written"], { message: "one of none, express, written" })
    .default(DEFAULT_REDIAL_POLICY.consentRequired),
  /** Bland's max_duration per call, minutes; an unanswered call is reconciled after this plus a margin. */
  BLAND_MAX_DURATION_MINUTES: z.coerce.number().min(0.05).max(240).default(30),
  RECONCILE_MARGIN_SECONDS: z.coerce.number().min(1).max(3600).default(120),
  /**
   * A dial left without Bland's call id (POST /v1/calls answered 5xx or timed out, or its worker
   * died) is asked about at Bland this long after it was written: placed ⇒ tracked, not placed ⇒
   * given back. Its request leaves within half of it or not at all (keep it over 2× BLAND_TIMEOUT_MS).
   */
  RECONCILE_AMBIGUOUS_AFTER_SECONDS: z.coerce.number().min(0.1).max(3600).default(45),
  /** A placed call without its webhook is first polled at this many times the median recent call… */
  CALL_EXPECTED_LENGTH_FACTOR: z.coerce.number().min(1).max(100).default(2),
  /** …and never before this many seconds after its dial. */
  CALL_EXPECTED_LENGTH_FLOOR_SECONDS: z.coerce.number().min(0.1).max(14_400).default(120),
  /** The gap after that first poll; each later gap doubles (1, 2, 4, 8 min …) up to the deadline. */
  CALL_POLL_GAP_SECONDS: z.coerce.number().min(0.1).max(3600).default(60),
  /** Shift the process clock by this many seconds: drills and end-to-end runs against the simulators only. */
  CLOCK_OFFSET_SECONDS: z.coerce.number().default(0),
};

export function policyFromEnv(env: {
  REDIAL_PROGRESSIVE_INTERVALS: number[];
  REDIAL_MAX_PER_DAY: number;
  REDIAL_MIN_GAP_MINUTES: number;
  REDIAL_CADENCE: "restart_daily" | "continue";
  REDIAL_MAX_TOTAL_ATTEMPTS?: number | undefined;
  BAD_NUMBER_COOLDOWN_DAYS: number;
  ANSWERED_MIN_SECONDS: number;
  CONSENT_REQUIRED: RedialPolicy["consentRequired"];
}): RedialPolicy {
  return Object.freeze({
    intervalsMinutes: Object.freeze([...env.REDIAL_PROGRESSIVE_INTERVALS]),
    maxPerDay: env.REDIAL_MAX_PER_DAY,
    minGapMinutes: env.REDIAL_MIN_GAP_MINUTES,
    cadence: env.REDIAL_CADENCE,
    maxTotalAttempts: env.REDIAL_MAX_TOTAL_ATTEMPTS ?? null,
    badNumberCooldownDays: env.BAD_NUMBER_COOLDOWN_DAYS,
    answeredMinSeconds: env.ANSWERED_MIN_SECONDS,
    consentRequired: env.CONSENT_REQUIRED,
  });
}

export function reconcileAfterMs(env: {
  BLAND_MAX_DURATION_MINUTES: number;
  RECONCILE_MARGIN_SECONDS: number;
}): number {
  return Math.round(env.BLAND_MAX_DURATION_MINUTES * 60_000 + env.RECONCILE_MARGIN_SECONDS * 1000);
}

/** When an open call is asked about at Bland, as the environment sets it (see CallChecks). */
export function callCheckSettings(env: {
  BLAND_MAX_DURATION_MINUTES: number;
  RECONCILE_MARGIN_SECONDS: number;
  RECONCILE_AMBIGUOUS_AFTER_SECONDS: number;
  CALL_EXPECTED_LENGTH_FACTOR: number;
  CALL_EXPECTED_LENGTH_FLOOR_SECONDS: number;
  CALL_POLL_GAP_SECONDS: number;
}): CallCheckSettings {
  return Object.freeze({
    settleAfterMs: Math.round(env.RECONCILE_AMBIGUOUS_AFTER_SECONDS * 1000),
    expectedFactor: env.CALL_EXPECTED_LENGTH_FACTOR,
    expectedFloorMs: Math.round(env.CALL_EXPECTED_LENGTH_FLOOR_SECONDS * 1000),
    pollGapMs: Math.round(env.CALL_POLL_GAP_SECONDS * 1000),
    deadlineMs: reconcileAfterMs(env),
  });
}

/** The redial environment as parsed (the fields of `redialPolicyEnv`). */
export type RedialPolicyEnv = z.infer<z.ZodObject<typeof redialPolicyEnv>>;

/** What startRuntime takes from the redial environment: the policy, the call checks and the clock offset. */
export function policyRuntimeOptions(env: RedialPolicyEnv): {
  policy: RedialPolicy;
  reconcileAfterMs: number;
  callCheckSettings: CallCheckSettings;
  clockOffsetMs: number;
} {
  return {
    policy: policyFromEnv(env),
    reconcileAfterMs: reconcileAfterMs(env),
    callCheckSettings: callCheckSettings(env),
    clockOffsetMs: env.CLOCK_OFFSET_SECONDS * 1000,
  };
}

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

/** The dial limits as the capacity report reads them (null: no such cap). */
export function dialLimitsOf(env: DialLimitsConfig): FleetDialLimits {
  return {
    ratePerSecond: env.DIAL_RATE_PER_SECOND,
    maxConcurrent: env.DIAL_MAX_CONCURRENT,
    maxPerHour: env.DIAL_MAX_PER_HOUR ?? null,
    maxPerDay: env.DIAL_MAX_PER_DAY ?? null,
  };
}
