import {
  type AttemptSnapshot,
  DEFAULT_REDIAL_POLICY,
  DEFAULT_SCHEDULER_CONFIG,
  type DialDecision,
  decideNextDial,
  type LeadSnapshot,
  leadLocation,
  type RedialPolicy,
  type SchedulerConfig,
  type SchedulerConfigInput,
  schedulerConfigSchema,
} from "../src/index.ts";

export const at = (iso: string): Date => new Date(iso);

/** The consent test leads carry unless a test is about consent: written, given long before any test's now. */
export const WRITTEN_CONSENT = Object.freeze({
  type: "written" as const,
  capturedAt: at("2020-01-01T00:00:00Z"),
});

export function leadFor(
  location: { phone: string; state?: string; zipTimezone?: string; zipState?: string },
  extra: Partial<LeadSnapshot> = {},
): LeadSnapshot {
  return {
    status: "active",
    finalOutcome: null,
    ...leadLocation(location),
    badNumberUntil: null,
    callbackAt: null,
    attemptsTotal: 0,
    consent: WRITTEN_CONSENT,
    ...extra,
  };
}

/** Calls that each lasted one minute. */
export function calls(...dialedAtIso: string[]): AttemptSnapshot[] {
  return dialedAtIso.map((iso) => ({ dialedAt: at(iso), endedAt: new Date(at(iso).getTime() + 60_000) }));
}

export function config(overrides: Partial<SchedulerConfigInput> = {}): SchedulerConfig {
  return schedulerConfigSchema.parse({
    timezone: "America/New_York",
    schedule: { days: [1, 2, 3, 4, 5], startTime: "11:00", endTime: "20:00" },
    blackoutDates: [],
    ...overrides,
  });
}

export const EVERY_DAY = { days: [0, 1, 2, 3, 4, 5, 6], startTime: "11:00", endTime: "20:00" };

export function decide(
  lead: LeadSnapshot,
  now: string,
  options: { attempts?: AttemptSnapshot[]; policy?: Partial<RedialPolicy>; calendar?: SchedulerConfig } = {},
): DialDecision {
  const attempts = options.attempts ?? [];
  return decideNextDial({
    lead: { ...lead, attemptsTotal: Math.max(lead.attemptsTotal, attempts.length) },
    attempts,
    policy: { ...DEFAULT_REDIAL_POLICY, ...options.policy },
    calendar: options.calendar ?? DEFAULT_SCHEDULER_CONFIG,
    now: at(now),
  });
}

/** The instant a wait decision names, as ISO (or the decision kind when it is not a wait). */
export function waitUntil(decision: DialDecision): string {
  return decision.kind === "wait" ? decision.at.toISOString() : decision.kind;
}
