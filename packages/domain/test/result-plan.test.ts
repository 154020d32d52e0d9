import { describe, expect, it } from "vitest";
import {
  type BlandCall,
  DEFAULT_REDIAL_POLICY,
  defaultCallChecks,
  type LeadFacts,
  type LeadSnapshot,
  type PlanResultInput,
  planResult,
} from "../src/index.ts";
import { at, config, EVERY_DAY, leadFor } from "./helpers.ts";

const calendar = config({ schedule: EVERY_DAY });
const DIALED = at("2026-12-02T17:00:00Z");
const NOW = at("2026-12-02T17:01:00Z");

const nyLead = (extra: Partial<LeadSnapshot> = {}) =>
  leadFor({ phone: "+12125550100", state: "NY" }, { attemptsTotal: 1, ...extra });

function facts(lead: LeadSnapshot): LeadFacts {
  return {
    lead,
    history: [{ attemptId: 11, dialedAt: DIALED, endedAt: null }],
    open: { attemptId: 11, dialedAt: DIALED, blandCallId: "c-11" },
    onDncList: false,
  };
}

const call = (more: BlandCall): BlandCall => ({
  call_id: "c-11",
  completed: true,
  status: "completed",
  call_length: 1.5,
  price: "0.09",
  metadata: { attempt_id: 11 },
  ...more,
});

function plan(lead: LeadSnapshot, body: BlandCall, more: Partial<PlanResultInput> = {}) {
  return planResult({
    facts: facts(lead),
    attempt: { id: 11, state: "in_progress", dialedAt: DIALED },
    call: body,
    callId: "c-11",
    source: "webhook",
    homeZone: null,
    now: NOW,
    policy: DEFAULT_REDIAL_POLICY,
    calendar,
    checks: defaultCallChecks(32 * 60_000),
    ...more,
  });
}

const voicemail = call({ answered_by: "voicemail" });
const sale = call({ answered_by: "human", disposition_tag: "SALE" });
const optOut = call({ answered_by: "human", disposition_tag: "DNC" });

describe("planResult: what an ended call's result writes", () => {
  it("a voicemail on a lead still redialing: the attempt's columns, and the next call 2 min after it ended (cadence)", () => {
    const result = plan(nyLead(), voicemail);
    expect(result).toMatchObject({
      kind: "record",
      outcome: "VOICEMAIL",
      attempt: {
        blandCallId: "c-11",
        outcome: "VOICEMAIL",
        rawStatus: "completed",
        answeredBy: "voicemail",
        answered: false,
        durationSeconds: 90,
        price: 0.09,
        transferred: false,
        endedAt: NOW,
        receivedAt: NOW,
        source: "webhook",
      },
      lead: {
        lastOutcome: "VOICEMAIL",
        callbackAt: null,
        badNumberUntil: null,
        next: { kind: "schedule", schedule: { status: "active", nextAttemptAt: at("2026-12-02T17:03:00Z") } },
      },
      addToDncList: false,
      convosoSync: { outcome: "VOICEMAIL", dnc: false },
    });
    if (result.kind === "record" && result.lead.next.kind === "schedule")
      expect(result.lead.next.schedule.waitingReason).toMatch(/^interval: cadence: 2 min/);
  });

  it("a result for an attempt that already has one changes nothing", () => {
    expect(plan(nyLead(), voicemail, { attempt: { id: 11, state: "ended", dialedAt: DIALED } })).toEqual({
      kind: "duplicate",
    });
  });

  it("SALE completes the lead; DNC completes it, goes on our DNC list and tells Convoso", () => {
    expect(plan(nyLead(), sale)).toMatchObject({
      outcome: "SALE",
      lead: { next: { kind: "complete", outcome: "SALE" } },
      addToDncList: false,
      convosoSync: { outcome: "SALE", dnc: false },
    });
    expect(plan(nyLead(), optOut)).toMatchObject({
      outcome: "DNC",
      lead: { next: { kind: "complete", outcome: "DNC" } },
      addToDncList: true,
      convosoSync: { outcome: "DNC", dnc: true },
    });
  });

  it("a DNC entered by hand while the call was open stays DNC when the call says SALE (the SALE is the call's, not the lead's)", () => {
    const dnc = nyLead({ status: "completed", finalOutcome: "DNC" });
    expect(plan(dnc, sale)).toMatchObject({
      outcome: "SALE",
      attempt: { outcome: "SALE" },
      lead: { lastOutcome: "SALE", next: { kind: "keep" } },
      addToDncList: false,
      convosoSync: null,
    });
  });

  it("a lead sold by hand while the call was open stays SALE when the call says DNC; the phone still goes on the DNC lists", () => {
    const sold = nyLead({ status: "completed", finalOutcome: "SALE" });
    expect(plan(sold, optOut)).toMatchObject({
      outcome: "DNC",
      lead: { next: { kind: "keep" } },
      addToDncList: true,
      convosoSync: { outcome: "SALE", dnc: true },
    });
  });

  it("a voicemail for a paused lead is recorded and told to Convoso; for a completed lead Convoso keeps its final status", () => {
    expect(plan(nyLead({ status: "paused" }), voicemail)).toMatchObject({
      lead: { lastOutcome: "VOICEMAIL", next: { kind: "keep" } },
      convosoSync: { outcome: "VOICEMAIL", dnc: false },
    });
    expect(plan(nyLead({ status: "completed", finalOutcome: "SALE" }), voicemail)).toMatchObject({
      lead: { next: { kind: "keep" } },
      convosoSync: null,
    });
  });

  it("a callback asked for tomorrow 3 PM, said without an offset, is read in the lead's home zone and waited for", () => {
    const result = plan(
      nyLead(),
      call({
        answered_by: "human",
        disposition_tag: "CALLBACK",
        variables: { callback_time: "2026-12-03 15:00" },
      }),
      { homeZone: "America/Chicago" },
    );
    expect(result).toMatchObject({
      outcome: "CALLBACK",
      lead: {
        callbackAt: at("2026-12-03T21:00:00Z"),
        next: { kind: "schedule", schedule: { nextAttemptAt: at("2026-12-03T21:00:00Z") } },
      },
    });
  });

  it("a bad number is not dialed for badNumberCooldownDays (15)", () => {
    expect(plan(nyLead(), call({ status: "failed", error_message: "number not in service" }))).toMatchObject({
      outcome: "FAILED",
      lead: {
        badNumberUntil: at("2026-12-17T17:01:00Z"),
        next: { kind: "schedule", schedule: { nextAttemptAt: at("2026-12-17T17:01:00Z") } },
      },
    });
  });

  it("the result of an attempt given back as not placed (Bland placed it after all) counts as a call that ended now", () => {
    const given = { ...facts(nyLead()), history: [], open: null };
    const result = planResult({
      facts: given,
      attempt: { id: 11, state: "not_placed", dialedAt: DIALED },
      call: voicemail,
      callId: "c-11",
      source: "reconcile",
      homeZone: null,
      now: NOW,
      policy: DEFAULT_REDIAL_POLICY,
      calendar,
      checks: defaultCallChecks(32 * 60_000),
    });
    expect(result).toMatchObject({
      kind: "record",
      attempt: { source: "reconcile" },
      lead: { next: { kind: "schedule", schedule: { nextAttemptAt: at("2026-12-02T17:03:00Z") } } },
    });
  });
});
