import { describe, expect, it } from "vitest";
import {
  callChecksFor,
  DEFAULT_REDIAL_POLICY,
  type DialLimits,
  fleetLimitSchedule,
  type LeadFacts,
  type LeadSnapshot,
  planDial,
  planSchedule,
} from "../src/index.ts";
import { at, config, EVERY_DAY, leadFor } from "./helpers.ts";

const calendar = config({ schedule: EVERY_DAY });
// Recent calls' median 2 minutes: a placed call is first asked about 4 minutes after its dial.
const CHECKS = callChecksFor(
  {
    settleAfterMs: 45_000,
    expectedFactor: 2,
    expectedFloorMs: 120_000,
    pollGapMs: 60_000,
    deadlineMs: 32 * 60_000,
  },
  120,
);
const nyLead = (extra: Partial<LeadSnapshot> = {}) => leadFor({ phone: "+12125550100", state: "NY" }, extra);

function facts(lead: LeadSnapshot, more: Partial<LeadFacts> = {}): LeadFacts {
  return { lead, history: [], open: null, onDncList: false, ...more };
}

const plan = (f: LeadFacts, now: string) =>
  planDial({
    facts: f,
    now: at(now),
    policy: DEFAULT_REDIAL_POLICY,
    calendar,
    checks: CHECKS,
  });

describe("planDial: what a lead's dial job does at now", () => {
  it("a paused or completed lead is not dialed", () => {
    expect(plan(facts(nyLead({ status: "paused" })), "2026-12-02T17:00:00Z")).toEqual({
      kind: "not_dialable",
    });
    expect(
      plan(facts(nyLead({ status: "completed", finalOutcome: "SALE" })), "2026-12-02T17:00:00Z"),
    ).toEqual({ kind: "not_dialable" });
  });

  it("a lead due now (noon in New York, never called) is dialed: attempt 1 of campaign day 2026-12-02, looked at again at the expected call's end", () => {
    expect(plan(facts(nyLead({ attemptsTotal: 4 })), "2026-12-02T17:00:00Z")).toEqual({
      kind: "dial",
      attemptsTotal: 5,
      campaignDay: "2026-12-02",
      dialedAt: at("2026-12-02T17:00:00Z"),
      schedule: {
        status: "active",
        nextAttemptAt: at("2026-12-02T17:04:00Z"),
        waitingReason: "call_in_progress: waiting for the call's result",
      },
    });
  });

  it("a lead with a placed call running waits for its result until the expected call's end, then asks Bland", () => {
    const running = facts(nyLead(), {
      open: { attemptId: 7, dialedAt: at("2026-12-02T17:00:00Z"), blandCallId: "c-7" },
      onDncList: true,
    });
    expect(plan(running, "2026-12-02T17:02:00Z")).toEqual({
      kind: "wait",
      result: "waiting_for_result",
      schedule: {
        status: "active",
        nextAttemptAt: at("2026-12-02T17:04:00Z"),
        waitingReason: "call_in_progress: waiting for the call's result",
      },
    });
    expect(plan(running, "2026-12-02T17:04:00Z")).toEqual({ kind: "reconcile", attemptId: 7 });
  });

  it("a dial left without Bland's call id (5xx, timeout, its worker died) is asked about after the settle time, not at the deadline", () => {
    const unsure = facts(nyLead(), {
      open: { attemptId: 8, dialedAt: at("2026-12-02T17:00:00Z"), blandCallId: null },
    });
    expect(plan(unsure, "2026-12-02T17:00:10Z")).toEqual({
      kind: "wait",
      result: "waiting_for_result",
      schedule: {
        status: "active",
        nextAttemptAt: at("2026-12-02T17:00:45Z"),
        waitingReason: "call_in_progress: waiting for Bland to say whether the call was placed",
      },
    });
    expect(plan(unsure, "2026-12-02T17:00:45Z")).toEqual({ kind: "reconcile", attemptId: 8 });
  });

  it("a lead whose phone is on our DNC list is completed as DNC, not dialed", () => {
    expect(plan(facts(nyLead(), { onDncList: true }), "2026-12-02T17:00:00Z")).toEqual({
      kind: "complete_dnc",
    });
  });

  it("a New York lead at 08:00 Eastern waits for the window at 11:00 with the engine's reason", () => {
    const result = plan(facts(nyLead()), "2026-12-02T13:00:00Z");
    expect(result).toMatchObject({
      kind: "wait",
      result: "not_due",
      schedule: { status: "active", nextAttemptAt: at("2026-12-02T16:00:00Z") },
    });
    if (result.kind === "wait") expect(result.schedule.waitingReason).toMatch(/^outside_window: /);
  });

  it("a lead at its daily max (8 calls today) waits for the next calling day as daily_max_reached", () => {
    const history = Array.from({ length: 8 }, (_, i) => ({
      attemptId: i + 1,
      dialedAt: at(`2026-12-02T16:${String(i * 5).padStart(2, "0")}:00Z`),
      endedAt: at(`2026-12-02T16:${String(i * 5 + 1).padStart(2, "0")}:00Z`),
    }));
    expect(plan(facts(nyLead({ attemptsTotal: 8 }), { history }), "2026-12-02T18:00:00Z")).toMatchObject({
      kind: "wait",
      result: "not_due",
      schedule: { status: "daily_max_reached", nextAttemptAt: at("2026-12-03T16:00:00Z") },
    });
  });

  it("planSchedule: a new lead at noon is due now; a paused one keeps no next attempt", () => {
    const input = {
      now: at("2026-12-02T17:00:00Z"),
      policy: DEFAULT_REDIAL_POLICY,
      calendar,
      checks: CHECKS,
    };
    expect(planSchedule({ ...input, facts: facts(nyLead()) })).toEqual({
      status: "active",
      nextAttemptAt: at("2026-12-02T17:00:00Z"),
      waitingReason: null,
    });
    expect(planSchedule({ ...input, facts: facts(nyLead({ status: "paused" })) })).toMatchObject({
      status: "paused",
      nextAttemptAt: null,
    });
  });
});

describe("fleetLimitSchedule: a dial over a fleet limit waits, saying which", () => {
  const limits: DialLimits = { maxConcurrent: 10, maxPerHour: 500, maxPerDay: 3000 };
  const now = at("2026-12-03T04:30:00Z"); // 23:30 Eastern on campaign day 2026-12-02

  it("DIAL_MAX_CONCURRENT: looked at again in 2 s", () => {
    expect(fleetLimitSchedule("concurrent", limits, now, calendar)).toEqual({
      status: "active",
      nextAttemptAt: at("2026-12-03T04:30:02Z"),
      waitingReason: "fleet limit: 10 calls in progress (DIAL_MAX_CONCURRENT)",
    });
  });

  it("DIAL_MAX_PER_HOUR: in a minute; DIAL_MAX_PER_DAY: at the next campaign day's midnight (Eastern)", () => {
    expect(fleetLimitSchedule("per_hour", limits, now, calendar)).toMatchObject({
      nextAttemptAt: at("2026-12-03T04:31:00Z"),
      waitingReason: "fleet limit: 500 calls in the last hour (DIAL_MAX_PER_HOUR)",
    });
    expect(fleetLimitSchedule("per_day", limits, now, calendar)).toMatchObject({
      nextAttemptAt: at("2026-12-03T05:00:00Z"),
      waitingReason: "fleet limit: 3000 calls today (DIAL_MAX_PER_DAY)",
    });
  });
});
