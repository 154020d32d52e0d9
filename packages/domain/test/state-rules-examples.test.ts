import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { isWithinCallingWindow, leadLocation } from "../src/index.ts";
import { config } from "./helpers.ts";

/**
 * Examples computed by hand from compliance.md's table, not from state-calling-rules.ts: a wrong
 * row (hours, days, holidays) fails here. Each lead is in one zone; the campaign calls every day,
 * around the clock in that zone, with its own holidays off, so only federal and state rules speak.
 * Week of Monday 2026-12-07 (Sunday 2026-12-13); Thanksgiving is Thursday 2026-11-26.
 */
const ZONE: Record<string, string> = {
  AL: "America/Chicago",
  CT: "America/New_York",
  KY: "America/New_York",
  LA: "America/Chicago",
  MA: "America/New_York",
  MI: "America/New_York",
  MN: "America/Chicago",
  MS: "America/Chicago",
  NM: "America/Denver",
  NV: "America/Los_Angeles",
  PA: "America/New_York",
  RI: "America/New_York",
  TX: "America/Chicago",
  UT: "America/Denver",
  WA: "America/Los_Angeles",
  WY: "America/Denver",
  NY: "America/New_York",
};

// [state, local date-time, may call?]
const EXAMPLES: [string, string, boolean][] = [
  // Hours of the "vendor tables" rows.
  ["KY", "2026-12-08T09:59", false],
  ["KY", "2026-12-08T10:00", true],
  ["KY", "2026-12-08T20:59", true],
  ["KY", "2026-12-08T21:00", false],
  ["CT", "2026-12-08T08:59", false],
  ["CT", "2026-12-08T09:00", true],
  ["CT", "2026-12-08T19:59", true],
  ["CT", "2026-12-08T20:00", false],
  ["MA", "2026-12-08T08:00", true],
  ["MA", "2026-12-08T20:00", false],
  ["WY", "2026-12-08T08:00", true],
  ["WY", "2026-12-08T20:00", false],
  ["NV", "2026-12-08T08:59", false],
  ["NV", "2026-12-08T09:00", true],
  ["NV", "2026-12-08T20:00", false],
  ["MI", "2026-12-08T08:59", false],
  ["MI", "2026-12-08T20:59", true],
  ["MN", "2026-12-08T08:59", false],
  ["MN", "2026-12-08T20:59", true],
  ["NM", "2026-12-08T08:59", false],
  ["NM", "2026-12-08T20:59", true],
  ["WA", "2026-12-08T08:00", true],
  ["WA", "2026-12-08T19:59", true],
  ["WA", "2026-12-08T20:00", false],
  // Rhode Island: 09–18 Monday–Friday, 10–17 Saturday, no Sundays, no holidays.
  ["RI", "2026-12-07T08:59", false],
  ["RI", "2026-12-07T09:00", true],
  ["RI", "2026-12-07T17:59", true],
  ["RI", "2026-12-07T18:00", false],
  ["RI", "2026-12-12T09:59", false],
  ["RI", "2026-12-12T10:00", true],
  ["RI", "2026-12-12T16:59", true],
  ["RI", "2026-12-12T17:00", false],
  ["RI", "2026-12-13T12:00", false],
  ["RI", "2026-11-26T12:00", false],
  // Texas: 09–21 Monday–Saturday, 12–21 Sunday.
  ["TX", "2026-12-12T08:59", false],
  ["TX", "2026-12-12T09:00", true],
  ["TX", "2026-12-13T11:59", false],
  ["TX", "2026-12-13T12:00", true],
  ["TX", "2026-12-13T20:59", true],
  ["TX", "2026-12-13T21:00", false],
  // No Sundays: MS, AL, LA (and 08–20 on other days).
  ["MS", "2026-12-13T12:00", false],
  ["MS", "2026-12-12T12:00", true],
  ["MS", "2026-12-12T20:00", false],
  ["AL", "2026-12-13T12:00", false],
  ["AL", "2026-12-12T19:59", true],
  ["LA", "2026-12-13T12:00", false],
  ["LA", "2026-12-12T12:00", true],
  // No legal holidays: AL, LA, PA, RI, UT (Thanksgiving); federal hours otherwise for PA and UT.
  ["AL", "2026-11-26T12:00", false],
  ["LA", "2026-11-26T12:00", false],
  ["PA", "2026-11-26T12:00", false],
  ["UT", "2026-11-26T12:00", false],
  ["PA", "2026-12-08T08:00", true],
  ["PA", "2026-12-08T20:59", true],
  ["PA", "2026-12-08T21:00", false],
  ["UT", "2026-12-08T07:59", false],
  ["UT", "2026-12-08T12:00", true],
  // A state without a row: federal 08–21, holidays are the campaign's business.
  ["NY", "2026-11-26T12:00", true],
  ["NY", "2026-12-13T07:59", false],
  ["NY", "2026-12-13T08:00", true],
];

describe("state rules, by hand-computed example", () => {
  it.each(EXAMPLES)("%s at %s local: may call = %s", (state, local, allowed) => {
    const zone = ZONE[state] as string;
    const calendar = config({
      timezone: zone,
      schedule: { days: [0, 1, 2, 3, 4, 5, 6], startTime: "00:00", endTime: "23:59" },
      holidays: false,
    });
    const instant = DateTime.fromISO(local, { zone }).toJSDate();
    expect(isWithinCallingWindow(instant, { timezones: [zone], states: [state] }, calendar)).toBe(allowed);
  });
});

describe("split area codes, pinned to their zones (compliance.md)", () => {
  const E = "America/New_York";
  const C = "America/Chicago";
  const M = "America/Denver";
  const P = "America/Los_Angeles";
  it.each([
    ["850", [C, E]], // Florida panhandle
    ["812", [C, E]], // southern Indiana
    ["219", [C, E]], // northwest Indiana
    ["270", [C, E]], // western Kentucky
    ["606", [C, E]], // eastern Kentucky
    ["423", [C, E]], // eastern Tennessee
    ["208", [M, P]], // Idaho
    ["605", [C, M]], // South Dakota
    ["701", [C, M]], // North Dakota
    ["541", [M, P]], // Oregon
  ])("%s ⇒ %j", (code, zones) => {
    expect(leadLocation({ phone: `+1${code}5550100` }).timezones).toEqual(zones);
  });
});
