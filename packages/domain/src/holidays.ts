import Holidays from "date-holidays";
import type { RuleTableVersion } from "./data/state-calling-rules.ts";

/**
 * The holiday calendar's version: date-holidays' data (its package version, pinned) read by the
 * rule below. Upgrading date-holidays or changing `isLegalHoliday` is a new version and
 * effective-from date (test/rule-tables.test.ts fails on an upgrade that kept the old one).
 */
export const HOLIDAY_CALENDAR_TABLE: RuleTableVersion = Object.freeze({
  table: "holidays",
  version: "date-holidays 3.37.0; public holidays and observed bank days (2026-11-28)",
  effectiveFrom: "2026-11-28",
});

/**
 * Public holidays as sets of 'YYYY-MM-DD' (observed/substitute days included), cached per
 * (calendar, year): date-holidays is slow to build, the engine asks for the same year thousands of times.
 * Names are kept so a campaign can call on a holiday it does not observe (`holidays.except`).
 */
const cache = new Map<string, ReadonlyMap<string, readonly string[]>>();

function holidaysOf(state: string | null, year: number): ReadonlyMap<string, readonly string[]> {
  const key = `${state ?? "US"}:${year}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const calendar = state === null ? new Holidays("US") : new Holidays("US", state);
  const byDay = new Map<string, string[]>();
  for (const holiday of calendar.getHolidays(year)) {
    if (!isLegalHoliday(holiday)) continue;
    const day = holiday.date.slice(0, 10);
    byDay.set(day, [...(byDay.get(day) ?? []), holiday.name]);
  }
  cache.set(key, byDay);
  return byDay;
}

/**
 * A public holiday, or the observed day of one: date-holidays files some observed days under
 * "bank" (Veterans Day on Friday 2028-11-10), and a day off the law observes is a day off here.
 */
function isLegalHoliday(holiday: { type: string; substitute?: boolean }): boolean {
  return holiday.type === "public" || (holiday.substitute === true && holiday.type === "bank");
}

/** The names of the US federal public holidays on `day` (empty when none). */
export function federalHolidayNames(day: string): readonly string[] {
  return holidaysOf(null, Number(day.slice(0, 4))).get(day) ?? [];
}

/** True when `day` is a legal (public) holiday of `state`, federal ones the state observes included. */
export function isStateLegalHoliday(state: string, day: string): boolean {
  return holidaysOf(state, Number(day.slice(0, 4))).has(day);
}
