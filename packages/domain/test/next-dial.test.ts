import { describe, expect, it } from "vitest";
import {
  DEFAULT_REDIAL_POLICY,
  DEFAULT_SCHEDULER_CONFIG,
  decideNextDial,
  historyStart,
} from "../src/index.ts";
import { at, calls, config, decide, EVERY_DAY, leadFor, WRITTEN_CONSENT, waitUntil } from "./helpers.ts";

// 2026-03-08 is the spring-forward Sunday, 2026-11-01 the fall-back Sunday (US).
const pensacola = leadFor({ phone: "+18504321234", state: "FL", zipTimezone: "America/Chicago" });
const newYork = leadFor({ phone: "+12125550123", state: "NY" });
const honolulu = leadFor({ phone: "+18085550123", state: "HI" });
const phoenix = leadFor({ phone: "+16025550123", state: "AZ", zipTimezone: "America/Phoenix" });
const chicago = leadFor({ phone: "+13125550123", state: "IL" });
const miami = leadFor({ phone: "+13055550123", state: "FL", zipTimezone: "America/New_York" });

describe("calling windows across zones", () => {
  it("state AK with a Seattle ZIP is not called at 11:00 Eastern (07:00 in Alaska): it waits for 08:00 Alaska", () => {
    const alaskan = leadFor({
      phone: "+12065550123",
      state: "AK",
      zipTimezone: "America/Los_Angeles",
      zipState: "WA",
    });
    // Wednesday 2026-01-14, 11:00 EST = 16:00Z = 07:00 AKST = 06:00 HST-Aleutian.
    const decision = decide(alaskan, "2026-01-14T16:00:00Z");
    expect(decision).toMatchObject({ kind: "wait", reason: "outside_window" });
    // 08:00 on Adak (UTC−10) is the last of the zones to open.
    expect(waitUntil(decision)).toBe("2026-01-14T18:00:00.000Z");
  });

  it("state AZ without a ZIP is not called at 20:30 Phoenix in July (21:30 in the Navajo Nation)", () => {
    const arizona = leadFor({ phone: "+12135550123", state: "AZ" });
    const lateWest = config({
      timezone: "America/Los_Angeles",
      schedule: { days: [0, 1, 2, 3, 4, 5, 6], startTime: "08:00", endTime: "21:00" },
    });
    // Wednesday 2026-07-15 20:30 PDT = 03:30Z = 20:30 MST (Phoenix) = 21:30 MDT (Navajo Nation).
    expect(decide(arizona, "2026-07-16T03:30:00Z", { calendar: lateWest })).toMatchObject({
      kind: "wait",
      reason: "outside_window",
    });
    expect(decide(arizona, "2026-07-16T02:30:00Z", { calendar: lateWest })).toEqual({ kind: "dial_now" });
  });

  it("a lead in Pensacola (850, Central) is called at 11:05 Eastern: 10:05 Central is legal", () => {
    expect(pensacola.timezones).toEqual(["America/Chicago", "America/New_York"]);
    expect(decide(pensacola, "2026-03-09T15:05:00Z")).toEqual({ kind: "dial_now" });
  });

  it("a lead in Pensacola (850, Central) is not called at 8:05 Eastern when the campaign opens at 8: it waits for 8:00 Central", () => {
    const early = config({ schedule: { days: [1, 2, 3, 4, 5], startTime: "08:00", endTime: "20:00" } });
    const decision = decide(pensacola, "2026-03-09T12:05:00Z", { calendar: early });
    expect(decision).toMatchObject({
      kind: "wait",
      reason: "outside_window",
      at: at("2026-03-09T13:00:00Z"),
    });
    expect(decision.kind === "wait" && decision.detail).toContain("08:00 CDT");
  });

  it("a lead in Pensacola is not called after 20:00 Eastern even if the campaign runs to 21:00 (FL 08–20 in every candidate zone)", () => {
    const late = config({ schedule: { days: [1, 2, 3, 4, 5], startTime: "08:00", endTime: "21:00" } });
    expect(waitUntil(decide(pensacola, "2026-03-10T00:05:00Z", { calendar: late }))).toBe(
      "2026-03-10T13:00:00.000Z",
    );
  });

  it("a Hawaii lead is not called at 11:00 Eastern: it waits for 08:00 in Honolulu (14:00 EDT in March)", () => {
    const decision = decide(honolulu, "2026-03-09T15:00:00Z");
    expect(decision).toMatchObject({
      kind: "wait",
      reason: "outside_window",
      at: at("2026-03-09T18:00:00Z"),
    });
    expect(decision.kind === "wait" && decision.detail).toContain("08:00 HST");
  });

  it("a Hawaii lead in January opens at 13:00 EST (Hawaii has no DST)", () => {
    expect(waitUntil(decide(honolulu, "2026-01-12T16:00:00Z"))).toBe("2026-01-12T18:00:00.000Z");
  });

  it("Arizona in July keeps MST (UTC−7): 08:00 in Phoenix is 11:00 EDT, so a 10:30 EDT call waits", () => {
    const early = config({ schedule: { days: [1, 2, 3, 4, 5], startTime: "08:00", endTime: "21:00" } });
    expect(waitUntil(decide(phoenix, "2026-07-13T14:30:00Z", { calendar: early }))).toBe(
      "2026-07-13T15:00:00.000Z",
    );
  });

  it("Arizona in January: 10:30 EST is 08:30 in Phoenix, legal", () => {
    const early = config({ schedule: { days: [1, 2, 3, 4, 5], startTime: "08:00", endTime: "21:00" } });
    expect(decide(phoenix, "2026-01-12T15:30:00Z", { calendar: early })).toEqual({ kind: "dial_now" });
  });

  it("a lead with no usable zone gets the safe window: not before 11:00 Eastern even if the campaign opens at 8", () => {
    const unknown = leadFor({ phone: "+18005550123" });
    expect(unknown.timezones).toEqual([]);
    const early = config({ schedule: { days: [1, 2, 3, 4, 5], startTime: "08:00", endTime: "21:00" } });
    expect(waitUntil(decide(unknown, "2026-03-09T13:00:00Z", { calendar: early }))).toBe(
      "2026-03-09T15:00:00.000Z",
    );
  });
});

describe("DST days", () => {
  const everyDay = config({ schedule: EVERY_DAY });

  it("on the spring-forward Sunday a Chicago lead opens at 11:00 EDT (15:00Z), the day before at 11:00 EST (16:00Z)", () => {
    expect(waitUntil(decide(chicago, "2026-03-08T14:30:00Z", { calendar: everyDay }))).toBe(
      "2026-03-08T15:00:00.000Z",
    );
    expect(waitUntil(decide(chicago, "2026-03-07T15:30:00Z", { calendar: everyDay }))).toBe(
      "2026-03-07T16:00:00.000Z",
    );
  });

  it("on the spring-forward Sunday Hawaii's 08:00 is 14:00 EDT; the Saturday before it was 13:00 EST", () => {
    expect(waitUntil(decide(honolulu, "2026-03-08T15:00:00Z", { calendar: everyDay }))).toBe(
      "2026-03-08T18:00:00.000Z",
    );
    expect(waitUntil(decide(honolulu, "2026-03-07T16:00:00Z", { calendar: everyDay }))).toBe(
      "2026-03-07T18:00:00.000Z",
    );
  });

  it("a daily max reached on the Saturday before spring-forward reopens Sunday at 11:00 EDT", () => {
    const eight = calls(
      ...[0, 1, 2, 3, 4, 5, 6, 7].map((h) => `2026-03-07T${String(16 + h).padStart(2, "0")}:00:00Z`),
    );
    const decision = decide(newYork, "2026-03-08T00:30:00Z", { calendar: everyDay, attempts: eight });
    expect(decision).toMatchObject({
      kind: "wait",
      reason: "daily_max_reached",
      at: at("2026-03-08T15:00:00Z"),
    });
  });

  it("on the fall-back Sunday the window opens at 11:00 EST (16:00Z), the day before at 11:00 EDT (15:00Z)", () => {
    expect(waitUntil(decide(newYork, "2026-11-01T06:30:00Z", { calendar: everyDay }))).toBe(
      "2026-11-01T16:00:00.000Z",
    );
    expect(waitUntil(decide(newYork, "2026-10-31T06:30:00Z", { calendar: everyDay }))).toBe(
      "2026-10-31T15:00:00.000Z",
    );
  });

  it("the 25-hour fall-back day is one campaign day: 8 calls on it block until Monday 11:00 EST", () => {
    const wide = config({ schedule: { days: [0, 1, 2, 3, 4, 5, 6], startTime: "08:00", endTime: "21:00" } });
    const eight = calls(
      ...[0, 1, 2, 3, 4, 5, 6, 7].map((h) => `2026-11-01T${String(13 + h).padStart(2, "0")}:00:00Z`),
    );
    const decision = decide(newYork, "2026-11-01T21:30:00Z", { calendar: wide, attempts: eight });
    expect(decision).toMatchObject({
      kind: "wait",
      reason: "daily_max_reached",
      at: at("2026-11-02T13:00:00Z"),
    });
  });
});

describe("cadence", () => {
  it("the 2nd call waits 2 minutes after the 1st ENDED", () => {
    const attempts = [{ dialedAt: at("2026-03-09T15:00:00Z"), endedAt: at("2026-03-09T15:04:00Z") }];
    expect(decide(newYork, "2026-03-09T15:04:00Z", { attempts })).toMatchObject({
      kind: "wait",
      reason: "interval",
      at: at("2026-03-09T15:06:00Z"),
    });
    expect(decide(newYork, "2026-03-09T15:06:00Z", { attempts })).toEqual({ kind: "dial_now" });
  });

  it("a call at 19:59 whose next interval crosses 20:00 waits for the next day's 11:00, which opens with a call", () => {
    const attempts = calls("2026-03-09T23:59:00Z"); // 19:59 EDT, ends 20:00
    const decision = decide(newYork, "2026-03-10T00:00:00Z", { attempts });
    expect(decision).toMatchObject({
      kind: "wait",
      reason: "outside_window",
      at: at("2026-03-10T15:00:00Z"),
    });
    expect(decide(newYork, "2026-03-10T15:00:00Z", { attempts })).toEqual({ kind: "dial_now" });
  });

  it("the 7th and 8th calls wait 120 minutes (the last interval repeats)", () => {
    const seven = calls(
      "2026-03-09T15:00:00Z",
      "2026-03-09T15:03:00Z",
      "2026-03-09T15:09:00Z",
      "2026-03-09T15:20:00Z",
      "2026-03-09T15:51:00Z",
      "2026-03-09T16:52:00Z",
      "2026-03-09T18:53:00Z",
    );
    expect(waitUntil(decide(newYork, "2026-03-09T18:54:00Z", { attempts: seven }))).toBe(
      "2026-03-09T20:54:00.000Z",
    );
    expect(waitUntil(decide(newYork, "2026-03-09T17:00:00Z", { attempts: seven.slice(0, 6) }))).toBe(
      "2026-03-09T18:53:00.000Z",
    );
  });

  it("after the 8th call of the day the lead waits for the next calling day (daily_max_reached)", () => {
    const eight = calls(...[15, 16, 17, 18, 19, 20, 21, 22].map((h) => `2026-03-09T${h}:00:00Z`));
    const decision = decide(newYork, "2026-03-09T22:30:00Z", { attempts: eight });
    expect(decision).toMatchObject({
      kind: "wait",
      reason: "daily_max_reached",
      at: at("2026-03-10T15:00:00Z"),
    });
    expect(decision.kind === "wait" && decision.detail).toContain("8/8");
  });

  it("'continue' cadence does not restart the sequence at a new day; 'restart_daily' does", () => {
    const policy = { intervalsMinutes: [0, 2, 5, 10, 30, 60, 1440] };
    const attempts = calls(...[15, 16, 17, 18, 19, 20, 21].map((h) => `2026-03-09T${h}:00:00Z`));
    const restart = decide(newYork, "2026-03-10T14:00:00Z", { attempts, policy });
    expect(waitUntil(restart)).toBe("2026-03-10T15:00:00.000Z");
    const cont = decide(newYork, "2026-03-10T14:00:00Z", {
      attempts,
      policy: { ...policy, cadence: "continue" },
    });
    expect(cont).toMatchObject({ kind: "wait", reason: "interval", at: at("2026-03-10T21:01:00Z") });
  });

  it("the minimum gap applies whatever the schedule", () => {
    const attempts = calls("2026-03-09T15:00:00Z");
    const decision = decide(newYork, "2026-03-09T15:01:30Z", { attempts, policy: { intervalsMinutes: [0] } });
    expect(decision).toMatchObject({ kind: "wait", reason: "min_gap", at: at("2026-03-09T15:03:00Z") });
  });

  it("Friday evening → Monday 11:00", () => {
    const decision = decide(newYork, "2026-03-14T00:30:00Z"); // Fri 20:30 EDT
    expect(decision).toMatchObject({
      kind: "wait",
      reason: "outside_window",
      at: at("2026-03-16T15:00:00Z"),
    });
    expect(decision.kind === "wait" && decision.detail).toContain("Mon 2026-03-16 11:00 EDT");
  });

  it("Saturday is not a calling day", () => {
    expect(decide(newYork, "2026-03-14T16:00:00Z")).toMatchObject({ reason: "not_a_calling_day" });
  });
});

describe("holidays and blackout dates", () => {
  it("a blackout date is skipped, with the reason 'holiday'", () => {
    const calendar = config({ blackoutDates: ["2026-03-10"] });
    const decision = decide(newYork, "2026-03-10T16:00:00Z", { calendar });
    expect(decision).toMatchObject({ kind: "wait", reason: "holiday", at: at("2026-03-11T15:00:00Z") });
    expect(decision.kind === "wait" && decision.detail).toContain("blackout");
  });

  it("a named blackout is skipped and named", () => {
    const calendar = config({ namedBlackouts: [{ date: "2026-03-10", name: "Company offsite" }] });
    const decision = decide(newYork, "2026-03-10T16:00:00Z", { calendar });
    expect(decision.kind === "wait" && decision.detail).toContain("Company offsite");
  });

  it("Thanksgiving (a US federal holiday) is skipped; the campaign may switch holidays off", () => {
    const decision = decide(newYork, "2026-11-26T16:00:00Z");
    expect(decision).toMatchObject({ reason: "holiday", at: at("2026-11-27T16:00:00Z") });
    expect(decision.kind === "wait" && decision.detail).toContain("Thanksgiving");
    expect(decide(newYork, "2026-11-26T16:00:00Z", { calendar: config({ holidays: false }) })).toEqual({
      kind: "dial_now",
    });
  });

  it("an observed holiday (Independence Day on Friday 2026-07-03) is skipped", () => {
    expect(decide(newYork, "2026-07-03T16:00:00Z")).toMatchObject({ reason: "holiday" });
  });

  it("every observed day of a federal holiday 2026–2029 is skipped, whatever date-holidays files it under", () => {
    // Written out by hand from 5 U.S.C. 6103 (a Saturday holiday is observed on Friday, a Sunday
    // one on Monday), not from the library: Veterans Day 2028 and 2029 are "bank" days there.
    const observed = [
      "2026-07-03", // Independence Day (Sat)
      "2027-06-18", // Juneteenth (Sat)
      "2027-07-05", // Independence Day (Sun)
      "2027-12-24", // Christmas (Sat)
      "2027-12-31", // New Year's Day 2028 (Sat)
      "2028-11-10", // Veterans Day (Sat)
      "2029-11-12", // Veterans Day (Sun)
    ];
    for (const day of observed) {
      expect(decide(newYork, `${day}T16:00:00Z`), day).toMatchObject({ reason: "holiday" });
      const pennsylvania = leadFor({ phone: "+12155550123", state: "PA" });
      const open = config({ holidays: false, schedule: EVERY_DAY });
      expect(decide(pennsylvania, `${day}T16:00:00Z`, { calendar: open }), `PA ${day}`).toMatchObject({
        reason: "holiday",
      });
    }
  });

  it("Louisiana forbids calls on its legal holidays (Mardi Gras 2026-02-17) but New York does not", () => {
    const louisiana = leadFor({ phone: "+15045550123", state: "LA" });
    expect(decide(louisiana, "2026-02-17T17:00:00Z")).toMatchObject({
      reason: "holiday",
      at: at("2026-02-18T16:00:00Z"),
    });
    expect(decide(newYork, "2026-02-17T17:00:00Z")).toEqual({ kind: "dial_now" });
  });
});

describe("state rules", () => {
  it("a FL lead's 4th call within 24 h waits until the 1st is 24 h old", () => {
    const attempts = calls("2026-03-09T18:05:00Z", "2026-03-09T19:00:00Z", "2026-03-09T20:00:00Z");
    const decision = decide(miami, "2026-03-09T21:00:00Z", { attempts });
    expect(decision).toMatchObject({
      kind: "wait",
      reason: "state_rolling_cap",
      at: at("2026-03-10T18:05:00Z"),
    });
    expect(decision.kind === "wait" && decision.detail).toContain("FL 3/24h cap until");
    expect(decision.kind === "wait" && decision.detail).toContain("14:05 EDT");
  });

  it("the FL cap can be switched off by config; then the cadence applies", () => {
    const attempts = calls("2026-03-09T18:05:00Z", "2026-03-09T19:00:00Z", "2026-03-09T20:00:00Z");
    const calendar = config({ compliance: { federal: true, states: { enabled: true, disabled: ["FL"] } } });
    expect(decide(miami, "2026-03-09T21:00:00Z", { attempts, calendar })).toEqual({ kind: "dial_now" });
  });

  it("an Oklahoma area code makes the lead Oklahoman (3/24 h) even with a Texas address", () => {
    const lead = leadFor({ phone: "+14055550123", state: "TX" });
    expect(lead.states).toEqual(["OK", "TX"]);
    const attempts = calls("2026-03-09T16:00:00Z", "2026-03-09T17:00:00Z", "2026-03-09T18:00:00Z");
    expect(decide(lead, "2026-03-09T19:00:00Z", { attempts })).toMatchObject({ reason: "state_rolling_cap" });
  });

  it("Maryland's cap starts 2024-01-01", () => {
    const lead = leadFor({ phone: "+14105550123", state: "MD" });
    const before = calls("2023-03-06T16:00:00Z", "2023-03-06T17:00:00Z", "2023-03-06T18:00:00Z");
    expect(decide(lead, "2023-03-06T19:00:00Z", { attempts: before })).toEqual({ kind: "dial_now" });
    const after = calls("2024-03-04T16:00:00Z", "2024-03-04T17:00:00Z", "2024-03-04T18:00:00Z");
    expect(decide(lead, "2024-03-04T19:00:00Z", { attempts: after })).toMatchObject({
      reason: "state_rolling_cap",
    });
  });

  it("Texas allows Sunday calls only from 12:00", () => {
    const dallas = leadFor({ phone: "+12145550123", state: "TX", zipTimezone: "America/Chicago" });
    const calendar = config({ schedule: EVERY_DAY });
    expect(waitUntil(decide(dallas, "2026-03-15T15:30:00Z", { calendar }))).toBe("2026-03-15T17:00:00.000Z");
  });

  it("Rhode Island allows no Sunday calls", () => {
    const ri = leadFor({ phone: "+14015550123", state: "RI" });
    const calendar = config({ schedule: EVERY_DAY });
    expect(decide(ri, "2026-03-15T16:00:00Z", { calendar })).toMatchObject({ reason: "not_a_calling_day" });
  });

  it("a config with no calling day at all for a lead: it waits a day (no_calling_window) instead of looping or failing", () => {
    const ri = leadFor({ phone: "+14015550123", state: "RI" });
    const sundays = config({ schedule: { days: [0], startTime: "11:00", endTime: "20:00" } });
    expect(decide(ri, "2026-03-15T16:00:00Z", { calendar: sundays })).toEqual({
      kind: "wait",
      reason: "no_calling_window",
      at: at("2026-03-16T16:00:00Z"),
      detail: expect.stringMatching(/No legal calling instant/),
    });
    const noDays = {
      ...DEFAULT_SCHEDULER_CONFIG,
      schedule: { ...DEFAULT_SCHEDULER_CONFIG.schedule, days: [] },
    };
    expect(decide(newYork, "2026-03-15T16:00:00Z", { calendar: noDays })).toMatchObject({
      reason: "no_calling_window",
    });
    // Campaign hours 09:00–13:00 Eastern never meet Hawaii's 08:00–21:00.
    const morning = config({ schedule: { days: [1, 2, 3, 4, 5], startTime: "09:00", endTime: "13:00" } });
    expect(decide(honolulu, "2026-03-16T14:00:00Z", { calendar: morning })).toMatchObject({
      kind: "wait",
      reason: "no_calling_window",
    });
  });
});

describe("callbacks", () => {
  it("a callback at 22:00 moves to the next legal instant (11:00 next day) with reason 'callback'", () => {
    const lead = { ...newYork, callbackAt: at("2026-03-10T02:00:00Z") }; // Mon 22:00 EDT
    const decision = decide(lead, "2026-03-09T16:00:00Z", { attempts: calls("2026-03-09T15:00:00Z") });
    expect(decision).toMatchObject({ kind: "wait", reason: "callback", at: at("2026-03-10T15:00:00Z") });
  });

  it("a callback later today is kept even when the cadence would call sooner", () => {
    const lead = { ...newYork, callbackAt: at("2026-03-09T19:00:00Z") };
    const decision = decide(lead, "2026-03-09T16:00:00Z", { attempts: calls("2026-03-09T15:58:00Z") });
    expect(decision).toMatchObject({ reason: "callback", at: at("2026-03-09T19:00:00Z") });
  });

  it("a callback does not bypass the daily cap", () => {
    const eight = calls(...[15, 16, 17, 18, 19, 20, 21, 22].map((h) => `2026-03-09T${h}:00:00Z`));
    const lead = { ...newYork, callbackAt: at("2026-03-09T23:30:00Z") };
    const decision = decide(lead, "2026-03-09T22:30:00Z", { attempts: eight });
    expect(decision).toMatchObject({ reason: "daily_max_reached", at: at("2026-03-10T15:00:00Z") });
  });

  it("a callback in the past is ignored in favour of the cadence", () => {
    const lead = { ...newYork, callbackAt: at("2026-03-09T10:00:00Z") };
    expect(decide(lead, "2026-03-09T16:00:00Z", { attempts: calls("2026-03-09T15:00:00Z") })).toEqual({
      kind: "dial_now",
    });
  });
});

describe("lifecycle", () => {
  it("a SALE or DNC lead is never dialed", () => {
    const decision = decide({ ...newYork, status: "completed", finalOutcome: "DNC" }, "2026-03-09T16:00:00Z");
    expect(decision).toMatchObject({ kind: "never", reason: "completed" });
  });
  it("a paused lead is never dialed until resumed", () => {
    expect(decide({ ...newYork, status: "paused" }, "2026-03-09T16:00:00Z")).toMatchObject({
      reason: "paused",
    });
  });
  it("a daily_max_reached lead is dialed again on the next calling day", () => {
    expect(decide({ ...newYork, status: "daily_max_reached" }, "2026-03-09T16:00:00Z")).toEqual({
      kind: "dial_now",
    });
  });
  it("a lead with a call in progress is never dialed again meanwhile", () => {
    const attempts = [{ dialedAt: at("2026-03-09T16:00:00Z"), endedAt: null }];
    expect(decide(newYork, "2026-03-09T18:00:00Z", { attempts })).toEqual({
      kind: "in_progress",
      since: at("2026-03-09T16:00:00Z"),
    });
  });
  it("the optional lifetime cap stops redialing", () => {
    const decision = decide({ ...newYork, attemptsTotal: 50 }, "2026-03-09T16:00:00Z", {
      policy: { maxTotalAttempts: 50 },
    });
    expect(decision).toMatchObject({ kind: "never", reason: "max_total_attempts" });
  });
  it("a bad number waits until badNumberUntil, then the next legal instant", () => {
    const lead = { ...newYork, badNumberUntil: at("2026-03-24T03:00:00Z") };
    expect(decide(lead, "2026-03-09T16:00:00Z")).toMatchObject({
      reason: "bad_number",
      at: at("2026-03-24T15:00:00Z"),
    });
  });
  it("historyStart is 48 hours back", () => {
    expect(historyStart(at("2026-03-09T16:00:00Z")).toISOString()).toBe("2026-03-07T16:00:00.000Z");
  });
  it("the same inputs give the same answer (pure)", () => {
    const input = {
      lead: newYork,
      attempts: calls("2026-03-09T15:00:00Z"),
      policy: { ...DEFAULT_REDIAL_POLICY, intervalsMinutes: [0, 2] },
      calendar: DEFAULT_SCHEDULER_CONFIG,
      now: at("2026-03-09T15:01:30Z"),
    };
    expect(decideNextDial(input)).toEqual(decideNextDial(input));
  });
});

describe("callbacks that fell due", () => {
  it("a callback that fell due after the last call ended is served now, without the cadence wait", () => {
    const lead = {
      ...leadFor({ phone: "+12125550123", state: "NY" }),
      callbackAt: at("2026-03-09T16:00:30Z"),
    };
    const attempts = calls("2026-03-09T15:54:00Z"); // ended 15:55, the cadence would wait until 16:25
    const policy = { intervalsMinutes: [0, 30] };
    expect(decide(lead, "2026-03-09T16:00:40Z", { attempts, policy })).toEqual({ kind: "dial_now" });
  });

  it("a callback set for the instant the last call ended is ignored, now and later alike (property test, seed 1804279260 run)", () => {
    const lead = {
      ...leadFor({ phone: "+12125550123", state: "NY" }),
      callbackAt: at("2026-03-09T15:55:00Z"),
    };
    const attempts = calls("2026-03-09T15:54:00Z"); // ended 15:55, the cadence waits until 16:25
    const policy = { intervalsMinutes: [0, 30] };
    for (const now of ["2026-03-09T15:55:00Z", "2026-03-09T16:00:00Z"])
      expect(decide(lead, now, { attempts, policy })).toMatchObject({
        kind: "wait",
        reason: "interval",
        at: at("2026-03-09T16:25:00Z"),
      });
  });
});

describe("fractional intervals (found by the property test, seed 1385897843)", () => {
  it("the instant answered for a fractional interval is itself a dial-now instant", async () => {
    const { decideNextDial, DEFAULT_REDIAL_POLICY, DEFAULT_SCHEDULER_CONFIG } = await import(
      "../src/index.ts"
    );
    const policy = { ...DEFAULT_REDIAL_POLICY, intervalsMinutes: [0, 1.00000001], minGapMinutes: 0 };
    const calendar = {
      ...DEFAULT_SCHEDULER_CONFIG,
      schedule: { days: [0, 1, 2, 3, 4, 5, 6], startTime: "00:00", endTime: "23:59" },
    };
    const lead = {
      status: "active" as const,
      finalOutcome: null,
      timezones: ["America/New_York"],
      states: [],
      badNumberUntil: null,
      callbackAt: null,
      attemptsTotal: 1,
      consent: WRITTEN_CONSENT,
    };
    const ended = new Date("2025-09-24T16:00:00.000Z");
    const attempts = [{ dialedAt: new Date("2025-09-24T15:59:30.000Z"), endedAt: ended }];
    const first = decideNextDial({ lead, attempts, policy, calendar, now: ended });
    expect(first.kind).toBe("wait");
    if (first.kind !== "wait") return;
    expect(decideNextDial({ lead, attempts, policy, calendar, now: first.at })).toEqual({ kind: "dial_now" });
  });
});

describe("US territories: federal 08:00–21:00 in the lead's own zone", () => {
  const everyDay = config({
    schedule: { days: [0, 1, 2, 3, 4, 5, 6], startTime: "00:00", endTime: "23:59" },
  });

  it("a San Juan lead (787, AST, no DST) is not called at 07:30 AST; it waits for 08:00 AST (12:00 UTC)", () => {
    const sanJuan = leadFor({ phone: "+17875550100" });
    expect(decide(sanJuan, "2026-07-15T11:30:00Z", { calendar: everyDay })).toMatchObject({
      kind: "wait",
      reason: "outside_window",
      at: at("2026-07-15T12:00:00Z"),
    });
    expect(decide(sanJuan, "2026-07-15T12:00:00Z", { calendar: everyDay })).toEqual({ kind: "dial_now" });
  });

  it("a Guam lead (671, UTC+10) is called at 10:00 Eastern on a campaign open all day (00:00 Guam is not)", () => {
    const guam = leadFor({ phone: "+16715550100" });
    // 2026-07-15 14:00 UTC = 00:00 Guam on the 16th: closed until 08:00 Guam = 22:00 UTC.
    expect(decide(guam, "2026-07-15T14:00:00Z", { calendar: everyDay })).toMatchObject({
      kind: "wait",
      at: at("2026-07-15T22:00:00Z"),
    });
  });

  it("an American Samoa lead (684, UTC−11) is called only from 08:00 Samoa time (19:00 UTC)", () => {
    const samoa = leadFor({ phone: "+16845550100" });
    expect(decide(samoa, "2026-07-15T18:00:00Z", { calendar: everyDay })).toMatchObject({
      kind: "wait",
      at: at("2026-07-15T19:00:00Z"),
    });
  });
});

describe("zones compared by clock: an Indianapolis lead does not wait for Central time", () => {
  it("Indianapolis ZIP + 317, state IN: called at 08:00 Eastern when the campaign opens at 8", () => {
    const early = config({ schedule: { days: [1, 2, 3, 4, 5], startTime: "08:00", endTime: "20:00" } });
    const indianapolis = leadFor({
      phone: "+13175550100",
      state: "IN",
      zipTimezone: "America/Indiana/Indianapolis",
      zipState: "IN",
    });
    expect(decide(indianapolis, "2026-03-09T12:00:00Z", { calendar: early })).toEqual({ kind: "dial_now" });
  });

  it("Juneau ZIP + 907, state AK: 08:00 Alaska time, not 08:00 Adak time", () => {
    const everyDay = config({
      schedule: { days: [0, 1, 2, 3, 4, 5, 6], startTime: "00:00", endTime: "23:59" },
    });
    const juneau = leadFor({
      phone: "+19075550100",
      state: "AK",
      zipTimezone: "America/Juneau",
      zipState: "AK",
    });
    // 907 itself spans Anchorage and Adak: the area code keeps Adak. With a 206 phone, Juneau's clock alone.
    const juneauCell = leadFor({
      phone: "+12065550100",
      state: "AK",
      zipTimezone: "America/Juneau",
      zipState: "AK",
    });
    expect(juneau.timezones).toContain("America/Adak");
    // 2026-07-15 16:00 UTC = 08:00 AKDT = 07:00 HDT (Adak); Juneau + Seattle are both open.
    expect(decide(juneauCell, "2026-07-15T16:00:00Z", { calendar: everyDay })).toEqual({ kind: "dial_now" });
  });
});
