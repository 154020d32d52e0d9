import { DEFAULT_REDIAL_POLICY, parseIntervals, type RedialPolicy } from "@redial/domain";
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
  /** Bland's max_duration per call, minutes; an unanswered call is reconciled after this plus a margin. */
  BLAND_MAX_DURATION_MINUTES: z.coerce.number().min(0.05).max(240).default(30),
  RECONCILE_MARGIN_SECONDS: z.coerce.number().min(1).max(3600).default(120),
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
}): RedialPolicy {
  return Object.freeze({
    intervalsMinutes: Object.freeze([...env.REDIAL_PROGRESSIVE_INTERVALS]),
    maxPerDay: env.REDIAL_MAX_PER_DAY,
    minGapMinutes: env.REDIAL_MIN_GAP_MINUTES,
    cadence: env.REDIAL_CADENCE,
    maxTotalAttempts: env.REDIAL_MAX_TOTAL_ATTEMPTS ?? null,
    badNumberCooldownDays: env.BAD_NUMBER_COOLDOWN_DAYS,
    answeredMinSeconds: env.ANSWERED_MIN_SECONDS,
  });
}

export function reconcileAfterMs(env: {
  BLAND_MAX_DURATION_MINUTES: number;
  RECONCILE_MARGIN_SECONDS: number;
}): number {
  return Math.round(env.BLAND_MAX_DURATION_MINUTES * 60_000 + env.RECONCILE_MARGIN_SECONDS * 1000);
}

/** The redial environment as parsed (the fields of `redialPolicyEnv`). */
export type RedialPolicyEnv = z.infer<z.ZodObject<typeof redialPolicyEnv>>;

/** What startRuntime takes from the redial environment: the policy, the reconcile delay and the clock offset. */
export function policyRuntimeOptions(env: RedialPolicyEnv): {
  policy: RedialPolicy;
  reconcileAfterMs: number;
  clockOffsetMs: number;
} {
  return {
    policy: policyFromEnv(env),
    reconcileAfterMs: reconcileAfterMs(env),
    clockOffsetMs: env.CLOCK_OFFSET_SECONDS * 1000,
  };
}
