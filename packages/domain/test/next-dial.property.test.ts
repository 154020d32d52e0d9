import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  AREA_CODES,
  type AttemptSnapshot,
  callingMinutesOnDay,
  campaignDay,
  type DialDecision,
  decideNextDial,
  type LeadSnapshot,
  leadLocation,
  type RedialPolicy,
  type SchedulerConfig,
  STATE_TIMEZONES,
  schedulerConfigSchema,
} from "../src/index.ts";
import { WRITTEN_CONSENT } from "./helpers.ts";
import { isLegalInstant, rollingCapsAt } from "./oracle.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const FROM = Date.UTC(2024, 0, 1);
const TO = Date.UTC(2028, 11, 31);
const AREA = [...AREA_CODES.keys(), "800", "888"];
const STATES = Object.keys(STATE_TIMEZONES);
const ZONES = [
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Phoenix",
  "America/Los_Angeles",
  "America/Anchorage",
  "Pacific/Honolulu",
];
const CAMPAIGN_ZONES = [...ZONES, "Europe/London", "Asia/Kolkata"];

const leadArb = fc
  .record({
    area: fc.constantFrom(...AREA),
    state: fc.option(fc.constantFrom(...STATES), { nil: null }),
    zipTimezone: fc.option(fc.constantFrom(...ZONES), { nil: null }),
    callbackOffsetMin: fc.option(fc.integer({ min: -600, max: 4 * 24 * 60 }), { nil: null }),
    badOffsetMin: fc.option(fc.integer({ min: -600, max: 20 * 24 * 60 }), { nil: null }),
  })
  .map((raw) => ({
    ...raw,
    location: leadLocation({ phone: `+1${raw.area}5550100`, state: raw.state, zipTimezone: raw.zipTimezone }),
  }));

const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

const policyArb: fc.Arbitrary<RedialPolicy> = fc.record({
  intervalsMinutes: fc.array(
    fc.integer({ min: 0, max: 360 }).map((half) => half / 2),
    { minLength: 1, maxLength: 8 },
  ),
  maxPerDay: fc.integer({ min: 1, max: 12 }),
  minGapMinutes: fc.integer({ min: 0, max: 10 }).map((half) => half / 2),
  cadence: fc.constantFrom("restart_daily" as const, "continue" as const),
  maxTotalAttempts: fc.constant(null),
  badNumberCooldownDays: fc.constant(15),
  answeredMinSeconds: fc.constant(20),
  consentRequired: fc.constantFrom("none" as const, "express" as const, "written" as const),
});

const scenarioArb = fc.record({
  lead: leadArb,
  /** blackout dates are offsets in days from `now`, resolved in buildConfig */
  configSeed: fc.record({
    timezone: fc.constantFrom(...CAMPAIGN_ZONES),
    days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
    start: fc.integer({ min: 0, max: 22 * 4 }).map((q) => q * 15),
    length: fc.integer({ min: 4, max: 24 * 4 }).map((q) => q * 15),
    holidays: fc.boolean(),
    statesEnabled: fc.boolean(),
    disabled: fc.uniqueArray(fc.constantFrom("FL", "OK", "MD", "TX", "RI", "LA"), { maxLength: 3 }),
    blackoutOffsets: fc.array(fc.integer({ min: -2, max: 30 }), { maxLength: 3 }),
  }),
  policy: policyArb,
  now: fc.integer({ min: FROM, max: TO }),
  history: fc.array(
    fc.record({ agoMin: fc.integer({ min: 1, max: 48 * 60 }), lengthMin: fc.integer({ min: 0, max: 30 }) }),
    {
      maxLength: 12,
    },
  ),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function buildConfig(seed: Scenario["configSeed"], now: number): SchedulerConfig {
  const end = Math.min(seed.start + seed.length, 23 * 60 + 59);
  const today = DateTime.fromMillis(now, { zone: seed.timezone });
  return schedulerConfigSchema.parse({
    timezone: seed.timezone,
    schedule: { days: seed.days, startTime: hhmm(seed.start), endTime: hhmm(end) },
    blackoutDates: seed.blackoutOffsets.map((offset) => today.plus({ days: offset }).toISODate()),
    holidays: seed.holidays,
    compliance: { federal: true, states: { enabled: seed.statesEnabled, disabled: seed.disabled } },
  });
}

function buildLead(s: Scenario, attempts: number): LeadSnapshot {
  const offset = (min: number | null) => (min === null ? null : new Date(s.now + min * MINUTE));
  return {
    status: "active",
    finalOutcome: null,
    ...s.lead.location,
    callbackAt: offset(s.lead.callbackOffsetMin),
    badNumberUntil: offset(s.lead.badOffsetMin),
    attemptsTotal: attempts,
    consent: WRITTEN_CONSENT,
  };
}

function buildHistory(s: Scenario): AttemptSnapshot[] {
  return s.history
    .map(({ agoMin, lengthMin }) => {
      const dialedAt = s.now - agoMin * MINUTE;
      return {
        dialedAt: new Date(dialedAt),
        endedAt: new Date(Math.min(dialedAt + lengthMin * MINUTE, s.now)),
      };
    })
    .sort((a, b) => a.dialedAt.getTime() - b.dialedAt.getTime());
}

/**
 * decideNextDial, or null when it proved that the lead has no calling window at all (checked:
 * no calling minutes on any of the next 14 days; from the day after tomorrow when a call in the
 * last 24 h may cap the lead until then, as a lead at its daily max on the last day before a
 * stricter state rule takes effect: 2023-12-31, Maryland's 08–20 from 2024-01-01).
 */
function decideOrNoWindow(
  lead: LeadSnapshot,
  attempts: AttemptSnapshot[],
  policy: RedialPolicy,
  calendar: SchedulerConfig,
  now: number,
): DialDecision | null {
  const decision = decideNextDial({ lead, attempts, policy, calendar, now: new Date(now) });
  if (decision.kind !== "wait" || decision.reason !== "no_calling_window") return decision;
  const first = DateTime.fromISO(campaignDay(new Date(now), calendar));
  const capped = attempts.some((attempt) => now - attempt.dialedAt.getTime() < 24 * 60 * MINUTE);
  for (let i = capped ? 2 : 0; i < 14; i++) {
    const day = first.plus({ days: i }).toISODate() ?? "";
    expect(callingMinutesOnDay(day, lead, calendar), `no window claimed but ${day} has minutes`).toBe(0);
  }
  return null;
}

const RUNS = Number(process.env.DOMAIN_PROPERTY_RUNS ?? 300);

describe("decideNextDial properties (random leads, histories, configs and instants 2024–2028)", () => {
  it("never answers an instant outside any applicable window, never before now, always a time for an active lead", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const calendar = buildConfig(s.configSeed, s.now);
        const attempts = buildHistory(s);
        const lead = buildLead(s, attempts.length);
        const decision = decideOrNoWindow(lead, attempts, s.policy, calendar, s.now);
        if (decision === null) return;
        expect(["dial_now", "wait"]).toContain(decision.kind);
        seen.add(decision.kind === "wait" ? decision.reason : decision.kind);
        const at = decision.kind === "wait" ? decision.at.getTime() : s.now;
        if (decision.kind === "wait") expect(at).toBeGreaterThan(s.now);
        expect(isLegalInstant(at, lead, calendar), `illegal instant ${new Date(at).toISOString()}`).toBe(
          true,
        );
        if (lead.badNumberUntil && lead.badNumberUntil.getTime() > s.now)
          expect(at).toBeGreaterThanOrEqual(lead.badNumberUntil.getTime());
        // consistency: at the answered instant, the engine itself says "dial now"
        if (decision.kind === "wait") {
          expect(decideNextDial({ lead, attempts, policy: s.policy, calendar, now: decision.at })).toEqual({
            kind: "dial_now",
          });
        }
      }),
      { numRuns: RUNS },
    );
    // the generators reach the interesting rules (a guard against a property that checks nothing)
    for (const kind of ["outside_window", "not_a_calling_day", "bad_number", "callback"]) {
      expect(seen, kind).toContain(kind);
    }
  }, 900_000);

  it("replaying its decisions never exceeds the daily max, the rolling 24 h caps or the minimum gap", () => {
    let dialsMade = 0;
    const reasons = new Set<string>();
    fc.assert(
      fc.property(
        scenarioArb,
        fc.array(fc.integer({ min: 0, max: 15 * 60 }), { minLength: 30, maxLength: 30 }),
        (s, lengths) => {
          const calendar = buildConfig(s.configSeed, s.now);
          const attempts: AttemptSnapshot[] = [];
          let now = s.now;
          for (const lengthSec of lengths) {
            const lead = { ...buildLead(s, attempts.length), callbackAt: null };
            const decision = decideOrNoWindow(lead, attempts, s.policy, calendar, now);
            if (decision === null) return;
            if (decision.kind === "wait") {
              reasons.add(decision.reason);
              now = decision.at.getTime();
              continue;
            }
            expect(decision.kind).toBe("dial_now");
            expect(isLegalInstant(now, lead, calendar)).toBe(true);
            attempts.push({ dialedAt: new Date(now), endedAt: null });
            const during = decideNextDial({ lead, attempts, policy: s.policy, calendar, now: new Date(now) });
            expect(during).toEqual({ kind: "in_progress", since: new Date(now) });
            attempts[attempts.length - 1] = {
              dialedAt: new Date(now),
              endedAt: new Date(now + lengthSec * 1000),
            };
            now += lengthSec * 1000;
          }
          checkCaps(attempts, buildLead(s, attempts.length), s.policy, calendar);
          dialsMade += attempts.length;
        },
      ),
      // As many runs as the first property: fewer left the rolling-cap path unvisited in some runs.
      { numRuns: RUNS },
    );
    expect(dialsMade).toBeGreaterThan(RUNS);
    for (const reason of ["daily_max_reached", "state_rolling_cap", "interval", "min_gap"])
      expect(reasons, reason).toContain(reason);
  }, 900_000);

  it("a completed or paused lead is 'never', and only those (or the lifetime cap) are", () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.constantFrom("active", "daily_max_reached", "paused", "completed"),
        fc.option(fc.constantFrom("SALE", "DNC"), { nil: null }),
        fc.option(fc.integer({ min: 1, max: 20 }), { nil: null }),
        (s, status, finalOutcome, maxTotal) => {
          const calendar = buildConfig(s.configSeed, s.now);
          const attempts = buildHistory(s);
          const lead = { ...buildLead(s, attempts.length), status, finalOutcome };
          const policy = { ...s.policy, maxTotalAttempts: maxTotal };
          const decision = decideOrNoWindow(lead, attempts, policy, calendar, s.now);
          if (decision === null) return;
          const expectedNever =
            finalOutcome !== null || status === "completed"
              ? "completed"
              : status === "paused"
                ? "paused"
                : maxTotal !== null && attempts.length >= maxTotal
                  ? "max_total_attempts"
                  : null;
          if (expectedNever) expect(decision).toMatchObject({ kind: "never", reason: expectedNever });
          else expect(decision.kind).not.toBe("never");
        },
      ),
      { numRuns: RUNS },
    );
  }, 900_000);
});

function checkCaps(
  attempts: readonly AttemptSnapshot[],
  lead: LeadSnapshot,
  policy: RedialPolicy,
  calendar: SchedulerConfig,
) {
  const perDay = new Map<string, number>();
  for (const [i, attempt] of attempts.entries()) {
    const ms = attempt.dialedAt.getTime();
    const day = campaignDay(attempt.dialedAt, calendar);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
    expect(perDay.get(day), `daily max on ${day}`).toBeLessThanOrEqual(policy.maxPerDay);
    for (const cap of rollingCapsAt(ms, lead, calendar)) {
      const inWindow = attempts.filter(
        (a) => a.dialedAt.getTime() <= ms && a.dialedAt.getTime() > ms - cap.hours * HOUR,
      );
      expect(inWindow.length, `rolling cap at ${attempt.dialedAt.toISOString()}`).toBeLessThanOrEqual(
        cap.calls,
      );
    }
    const previous = attempts[i - 1];
    if (previous?.endedAt) {
      expect(ms - previous.endedAt.getTime()).toBeGreaterThanOrEqual(policy.minGapMinutes * MINUTE);
    }
  }
}
