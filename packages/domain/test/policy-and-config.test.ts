import { describe, expect, it } from "vitest";
import {
  callingMinutesOnDay,
  campaignDay,
  DEFAULT_REDIAL_POLICY,
  DEFAULT_SCHEDULER_CONFIG,
  effectiveWindows,
  historyStart,
  InvalidIntervalsError,
  intervalBeforeCall,
  parseIntervals,
  STATE_CALLING_RULES,
  schedulerConfigSchema,
} from "../src/index.ts";
import { config } from "./helpers.ts";

describe("parseIntervals", () => {
  it.each([
    ["0,2,5,10,30,60,120", [0, 2, 5, 10, 30, 60, 120]],
    ["[0,2,5]", [0, 2, 5]],
    [" [ 0 , 2.5 , 0.5 ] ", [0, 2.5, 0.5]],
    ["15", [15]],
  ])("%j → %j", (text, expected) => {
    expect(parseIntervals(text)).toEqual(expected);
  });
  it.each(["", "[]", "0,,2", "0,two,5", "-1,2", "0;2;5", "[0,2"])(
    "%j throws InvalidIntervalsError",
    (text) => {
      expect(() => parseIntervals(text)).toThrow(InvalidIntervalsError);
    },
  );
  it("the error has a code and says what to write", () => {
    try {
      parseIntervals("0,x");
    } catch (error) {
      expect(error).toMatchObject({ code: "invalid_intervals", name: "InvalidIntervalsError" });
      expect(String((error as Error).message)).toContain('"0,2,5,10,30,60,120"');
    }
  });
  it("the last interval repeats", () => {
    expect(
      [1, 2, 7, 8, 20].map((k) => intervalBeforeCall(DEFAULT_REDIAL_POLICY.intervalsMinutes, k)),
    ).toEqual([0, 2, 120, 120, 120]);
  });
  it("the default policy is the documented one", () => {
    expect(DEFAULT_REDIAL_POLICY).toEqual({
      intervalsMinutes: [0, 2, 5, 10, 30, 60, 120],
      maxPerDay: 8,
      minGapMinutes: 2,
      cadence: "restart_daily",
      maxTotalAttempts: null,
      badNumberCooldownDays: 15,
      answeredMinSeconds: 20,
      consentRequired: "written",
    });
  });
});

describe("schedulerConfigSchema", () => {
  const seed = {
    timezone: "America/New_York",
    schedule: { days: [1, 2, 3, 4, 5], startTime: "11:00", endTime: "20:00" },
    blackoutDates: ["2025-12-25", "2026-01-01"],
  };
  it("accepts the seed's scheduler-config.json as is, with holidays and every state rule on", () => {
    const parsed = schedulerConfigSchema.parse(seed);
    expect(parsed).toMatchObject(seed);
    expect(parsed.holidays).toEqual({ enabled: true, except: [] });
    expect(parsed.compliance).toEqual({ federal: true, states: { enabled: true, disabled: [] } });
  });
  it("the default is 11:00–20:00 America/New_York, Monday–Friday", () => {
    expect(DEFAULT_SCHEDULER_CONFIG).toMatchObject({ timezone: "America/New_York", schedule: seed.schedule });
  });
  it("accepts the extensions", () => {
    const parsed = schedulerConfigSchema.parse({
      ...seed,
      holidays: { enabled: true, except: ["Columbus Day"] },
      namedBlackouts: [{ date: "2026-03-10", name: "Offsite" }],
      compliance: { federal: true, states: { enabled: true, disabled: ["FL"] } },
    });
    expect(parsed.compliance.states.disabled).toEqual(["FL"]);
  });
  it.each([
    ["federal rules switched off", { compliance: { federal: false } }],
    ["a fixed offset instead of an IANA zone", { timezone: "EST+5" }],
    ["an unknown zone", { timezone: "Mars/Olympus" }],
    ["end before start", { schedule: { days: [1], startTime: "20:00", endTime: "11:00" } }],
    ["no calling day", { schedule: { days: [], startTime: "11:00", endTime: "20:00" } }],
    ["day 7", { schedule: { days: [7], startTime: "11:00", endTime: "20:00" } }],
    ["a bad time", { schedule: { days: [1], startTime: "11h", endTime: "20:00" } }],
    ["a bad blackout date", { blackoutDates: ["2026-02-30"] }],
    ["a lower-case state", { compliance: { federal: true, states: { enabled: true, disabled: ["fl"] } } }],
  ])("rejects %s", (_name, patch) => {
    expect(schedulerConfigSchema.safeParse({ ...seed, ...patch }).success).toBe(false);
  });
});

describe("campaign days and daily calling minutes", () => {
  it("campaignDay is the date in the campaign zone", () => {
    expect(campaignDay(new Date(Date.UTC(2026, 2, 10, 3, 30)), DEFAULT_SCHEDULER_CONFIG)).toBe("2026-03-09");
    expect(campaignDay(new Date(Date.UTC(2026, 10, 1, 5, 30)), DEFAULT_SCHEDULER_CONFIG)).toBe("2026-11-01");
    expect(campaignDay(new Date(Date.UTC(2026, 10, 2, 4, 59)), DEFAULT_SCHEDULER_CONFIG)).toBe("2026-11-01");
  });
  const ny = { timezones: ["America/New_York"], states: ["NY"] };
  it("an Eastern lead has the full 9 hours on a weekday, none on Saturday", () => {
    expect(callingMinutesOnDay("2026-03-09", ny, DEFAULT_SCHEDULER_CONFIG)).toBe(540);
    expect(callingMinutesOnDay("2026-03-14", ny, DEFAULT_SCHEDULER_CONFIG)).toBe(0);
    expect(effectiveWindows("2026-03-14", ny, DEFAULT_SCHEDULER_CONFIG).closed).toBe("not_a_calling_day");
  });
  it("a Hawaii lead has 6 hours in summer (14:00–20:00 EDT), 7 in winter", () => {
    const hi = { timezones: ["Pacific/Honolulu"], states: ["HI"] };
    expect(callingMinutesOnDay("2026-07-13", hi, DEFAULT_SCHEDULER_CONFIG)).toBe(360);
    expect(callingMinutesOnDay("2026-01-12", hi, DEFAULT_SCHEDULER_CONFIG)).toBe(420);
  });
  it("a lead with no zone has the safe window: 11:00–21:00 Eastern cut by the campaign", () => {
    const wide = config({ schedule: { days: [1], startTime: "06:00", endTime: "23:00" } });
    expect(callingMinutesOnDay("2026-03-09", { timezones: [], states: [] }, wide)).toBe(600);
  });
  it("a campaign in Honolulu calling an Eastern lead spans two Eastern dates", () => {
    const hawaiiCampaign = config({
      timezone: "Pacific/Honolulu",
      schedule: { days: [1], startTime: "00:00", endTime: "23:59" },
    });
    // Mon 00:00–23:59 HST = Mon 06:00 EDT – Tue 05:59 EDT: only Mon 08:00–21:00 EDT is legal.
    const windows = effectiveWindows("2026-03-09", ny, hawaiiCampaign);
    expect(windows.intervals).toEqual([{ start: Date.UTC(2026, 2, 9, 12), end: Date.UTC(2026, 2, 10, 1) }]);
  });
});

describe("state-calling-rules.ts is versioned data", () => {
  it("has one row per state with a source and an effective date", () => {
    const states = STATE_CALLING_RULES.map((rule) => rule.state);
    expect(new Set(states).size).toBe(states.length);
    expect(states.sort()).toEqual(
      [
        "AL",
        "CT",
        "FL",
        "KY",
        "LA",
        "MA",
        "MD",
        "MI",
        "MN",
        "MS",
        "NM",
        "NV",
        "OK",
        "PA",
        "RI",
        "TX",
        "UT",
        "WA",
        "WY",
      ].sort(),
    );
    for (const rule of STATE_CALLING_RULES) {
      expect(rule.source.length).toBeGreaterThan(5);
      expect(rule.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      for (const hours of rule.hours) if (hours) expect(hours).toMatch(/^\d{2}:\d{2}-\d{2}:\d{2}$/);
    }
  });
  it("FL, OK and MD cap at 3 per rolling 24 h", () => {
    const capped = STATE_CALLING_RULES.filter((rule) => rule.rollingCap).map((rule) => [
      rule.state,
      rule.rollingCap,
    ]);
    expect(capped).toEqual([
      ["FL", { calls: 3, hours: 24 }],
      ["OK", { calls: 3, hours: 24 }],
      ["MD", { calls: 3, hours: 24 }],
    ]);
  });
});

describe("the state rules table against the history the engine is given", () => {
  it("every rolling cap fits in the calls decideNextDial sees (historyStart): a longer one would be under-counted", () => {
    const now = new Date("2026-11-28T12:00:00Z");
    const historyHours = (now.getTime() - historyStart(now).getTime()) / 3_600_000;
    const caps = STATE_CALLING_RULES.filter((rule) => rule.rollingCap !== null);
    expect(caps.length).toBeGreaterThan(0);
    for (const rule of caps) expect(rule.rollingCap?.hours, rule.state).toBeLessThanOrEqual(historyHours);
  });
});
