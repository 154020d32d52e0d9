import { describe, expect, it } from "vitest";
import {
  type AttemptSnapshot,
  type ConsentOnRecord,
  DEFAULT_REDIAL_POLICY,
  DEFAULT_SCHEDULER_CONFIG,
  type DialEvidenceInput,
  type DncCheck,
  decideNextDial,
  dialEvidence,
  type LeadSnapshot,
  type SchedulerConfig,
} from "../src/index.ts";
import { at, config, EVERY_DAY, leadFor } from "./helpers.ts";

const CONSENT: ConsentOnRecord = {
  id: 41,
  type: "written",
  capturedAt: at("2026-03-01T14:00:00Z"),
  source: "https://example.com/quote",
  ip: "203.0.113.9",
  textVersion: "tcpa-2026-01",
  certificateId: "https://cert.trustedform.com/0123456789abcdef",
  recordedAt: at("2026-03-01T14:00:05Z"),
  recordedBy: "POST /v1/leads",
};

const INTERNAL: DncCheck = {
  list: "internal",
  checkedAt: at("2026-03-10T15:05:00Z"),
  listed: false,
  detail: "not on our DNC list",
};

function evidenceFor(
  lead: LeadSnapshot,
  where: DialEvidenceInput["where"],
  now: string,
  options: { attempts?: AttemptSnapshot[]; calendar?: SchedulerConfig; dncChecks?: DncCheck[] } = {},
) {
  const input: DialEvidenceInput = {
    lead,
    attempts: options.attempts ?? [],
    policy: DEFAULT_REDIAL_POLICY,
    calendar: options.calendar ?? DEFAULT_SCHEDULER_CONFIG,
    now: at(now),
    where,
    consent: CONSENT,
    dncChecks: options.dncChecks ?? [INTERNAL],
  };
  // Evidence is only ever made for a dial the engine decided.
  expect(decideNextDial(input)).toEqual({ kind: "dial_now" });
  return dialEvidence(input);
}

describe("the evidence of a dial", () => {
  // A Miami lead called Monday 15:00 EDT and Tuesday 11:00 EDT; Tuesday 11:05 EDT is its third call in 24 h.
  const miami = leadFor({ phone: "+13055550123", state: "FL", zipTimezone: "America/New_York" });
  const history: AttemptSnapshot[] = [
    { dialedAt: at("2026-03-09T19:00:00Z"), endedAt: at("2026-03-09T19:01:00Z") },
    { dialedAt: at("2026-03-10T15:00:00Z"), endedAt: at("2026-03-10T15:01:00Z") },
  ];
  const evidence = evidenceFor(
    { ...miami, attemptsTotal: 2 },
    { phone: "+13055550123", state: "FL", zip: "33101" },
    "2026-03-10T15:05:00Z",
    { attempts: history },
  );

  it("a Florida lead's evidence shows its rolling 24 h count before this call and the cap", () => {
    expect(evidence.caps.rolling).toEqual([
      { state: "FL", calls_before: 2, limit: 3, hours: 24, counted_since: "2026-03-09T15:05:00.000Z" },
    ]);
    expect(evidence.caps).toMatchObject({
      campaign_day: "2026-03-10",
      calls_today_before: 1,
      max_per_day: 8,
      attempts_before: 2,
      previous_call_ended_at: "2026-03-10T15:01:00.000Z",
    });
    expect(evidence.decision.text).toContain("FL: call 3 of 3 in 24 h");
    expect(evidence.decision.text).toContain("call 2 of 8 on campaign day 2026-03-10");
  });

  it("names the zones and the local time in each, the states and the rows applied with the tables' versions", () => {
    expect(evidence.lead).toEqual({
      phone: "+13055550123",
      stated_state: "FL",
      zip: "33101",
      zones_assumed: false,
      zones: [{ zone: "America/New_York", local_time: "2026-03-10T11:05:00-04:00" }],
      states: ["FL"],
    });
    expect(evidence.states).toEqual([
      {
        state: "FL",
        applied: true,
        not_applied_because: null,
        rule: {
          hours_sunday_to_saturday: Array(7).fill("08:00-20:00"),
          no_legal_holidays: false,
          rolling_cap: { calls: 3, hours: 24 },
          effective_from: "2021-07-01",
          source: "Fla. Stat. 501.616(6) (2021 SB 1120)",
        },
      },
    ]);
    expect(evidence.rule_tables).toEqual([
      { table: "state-calling-rules", version: "2026-11-28", effective_from: "2026-11-28" },
      {
        table: "holidays",
        version: "date-holidays 3.37.0; public holidays and observed bank days (2026-11-28)",
        effective_from: "2026-11-28",
      },
    ]);
  });

  it("gives the campaign window and the effective window now is inside", () => {
    expect(evidence.window).toEqual({
      federal_hours: "08:00-21:00 in every zone",
      campaign: {
        timezone: "America/New_York",
        local_time: "2026-03-10T11:05:00-04:00",
        campaign_day: "2026-03-10",
        days: [1, 2, 3, 4, 5],
        start_time: "11:00",
        end_time: "20:00",
        federal_holidays_off: true,
        holidays_called_anyway: [],
        state_rules_enabled: true,
        states_disabled: [],
      },
      // 11:00–20:00 EDT: the campaign's hours inside Florida's 08–20.
      open_from: "2026-03-10T15:00:00.000Z",
      open_until: "2026-03-11T00:00:00.000Z",
    });
  });

  it("carries the consent relied on in full and the DNC checks made, and says all of it in one sentence", () => {
    expect(evidence.consent).toEqual({
      required: "written",
      relied_on: {
        id: 41,
        type: "written",
        captured_at: "2026-03-01T14:00:00.000Z",
        source: "https://example.com/quote",
        ip: "203.0.113.9",
        text_version: "tcpa-2026-01",
        certificate_id: "https://cert.trustedform.com/0123456789abcdef",
        recorded_at: "2026-03-01T14:00:05.000Z",
        recorded_by: "POST /v1/leads",
      },
    });
    expect(evidence.dnc_checks).toEqual([
      {
        list: "internal",
        checked_at: "2026-03-10T15:05:00.000Z",
        listed: false,
        detail: "not on our DNC list",
      },
    ]);
    expect(evidence.decision).toEqual({
      kind: "dial_now",
      text:
        "dial now at Tue 2026-03-10 11:05 EDT (lead local 11:05 EDT); inside the calling window until Tue 2026-03-10 20:00 EDT; " +
        "call 2 of 8 on campaign day 2026-03-10; FL: call 3 of 3 in 24 h; written consent #41 captured " +
        "2026-03-01T14:00:00.000Z, certificate https://cert.trustedform.com/0123456789abcdef (required: written); " +
        "internal DNC check: not on our DNC list",
    });
  });

  it("is plain JSON: what is stored parses back equal", () => {
    expect(JSON.parse(JSON.stringify(evidence))).toEqual(evidence);
  });

  it("a Pensacola lead (850, Central and Eastern) shows both zones' local times", () => {
    const pensacola = leadFor({ phone: "+18504321234", state: "FL", zipTimezone: "America/Chicago" });
    const e = evidenceFor(
      pensacola,
      { phone: "+18504321234", state: "FL", zip: "32501" },
      "2026-03-10T15:05:00Z",
    );
    expect(e.lead.zones).toEqual([
      { zone: "America/Chicago", local_time: "2026-03-10T10:05:00-05:00" },
      { zone: "America/New_York", local_time: "2026-03-10T11:05:00-04:00" },
    ]);
    expect(e.decision.text).toContain("(lead local 10:05 CDT / 11:05 EDT)");
  });

  it("a lead with no usable zone says the safe window's zones were assumed", () => {
    const unknown = leadFor({ phone: "+18005550100" });
    const e = evidenceFor(unknown, { phone: "+18005550100", state: null, zip: null }, "2026-03-10T16:05:00Z");
    expect(e.lead.zones_assumed).toBe(true);
    expect(e.lead.zones.map((z) => z.zone)).toContain("America/Los_Angeles");
  });

  it("Maryland's row is not applied before 2024-01-01 and is from then on (each day's row, with its date)", () => {
    const baltimore = leadFor({ phone: "+14105550123", state: "MD", zipTimezone: "America/New_York" });
    const where = { phone: "+14105550123", state: "MD", zip: "21201" };
    const before = evidenceFor(baltimore, where, "2023-12-29T16:00:00Z");
    expect(before.states).toEqual([
      {
        state: "MD",
        applied: false,
        not_applied_because: "no row of the table in force on 2023-12-29 (federal law only)",
        rule: null,
      },
    ]);
    expect(before.caps.rolling).toEqual([]);
    const after = evidenceFor(baltimore, where, "2024-01-02T16:00:00Z");
    expect(after.states[0]).toMatchObject({
      state: "MD",
      applied: true,
      rule: { effective_from: "2024-01-01" },
    });
    expect(after.caps.rolling).toMatchObject([{ state: "MD", calls_before: 0, limit: 3 }]);
  });

  it("a state switched off in the campaign's compliance settings is shown as not applied, and why", () => {
    const calendar = config({ schedule: EVERY_DAY, compliance: { states: { disabled: ["FL"] } } });
    const e = evidenceFor(miami, { phone: "+13055550123", state: "FL", zip: null }, "2026-03-10T15:05:00Z", {
      calendar,
    });
    expect(e.states[0]).toMatchObject({
      applied: false,
      not_applied_because: "disabled in the campaign's compliance settings",
    });
    expect(e.caps.rolling).toEqual([]);
    expect(e.window.campaign.states_disabled).toEqual(["FL"]);
  });

  it("a Convoso pre-dial check that failed is recorded as such (listed: null)", () => {
    const convoso: DncCheck = {
      list: "convoso",
      checkedAt: at("2026-03-10T15:04:59Z"),
      listed: null,
      detail: "check failed (HTTP 503): dialed on our own list",
    };
    const e = evidenceFor(miami, { phone: "+13055550123", state: "FL", zip: null }, "2026-03-10T15:05:00Z", {
      dncChecks: [INTERNAL, convoso],
    });
    expect(e.dnc_checks[1]).toEqual({
      list: "convoso",
      checked_at: "2026-03-10T15:04:59.000Z",
      listed: null,
      detail: "check failed (HTTP 503): dialed on our own list",
    });
    expect(e.decision.text).toContain("convoso DNC check: check failed (HTTP 503)");
  });
});
