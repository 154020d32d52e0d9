import { addDays, localDay, WEEKDAY_NAMES, weekdayOf, zonedInstant } from "./calendar-day.ts";
import {
  applicableStateRules,
  type CompiledCalendar,
  cacheGet,
  campaignDayOf,
  compileCalendar,
} from "./compiled-calendar.ts";
import type { StateCallingRule } from "./data/state-calling-rules.ts";
import { ZONES } from "./data/timezones.ts";
import { NoCallingWindowError } from "./errors.ts";
import { federalHolidayNames, isStateLegalHoliday } from "./holidays.ts";
import type { SchedulerConfig } from "./scheduler-config.ts";
import { intersectSpans, type TimeSpan } from "./time-spans.ts";

/**
 * Zones assumed for a lead with no usable zone: the continental US from Eastern to Pacific
 * (Arizona included). Their federal 08:00–21:00 overlap is 11:00–21:00 Eastern, the "safe window"
 * of compliance.md, further cut by the campaign hours. Alaska and Hawaii are NOT assumed: a lead
 * with an Alaskan or Hawaiian area code, state or ZIP always has those zones as candidates.
 */
export const SAFE_TIMEZONES: readonly string[] = Object.freeze([
  ZONES.E,
  ZONES.C,
  ZONES.M,
  ZONES.AZ,
  ZONES.P,
]);

/** Federal calling hours in the called party's local time (47 CFR 64.1200(c)(1)): 08:00–21:00. */
export const FEDERAL_HOURS = Object.freeze({ start: 8 * 60, end: 21 * 60 });

/** How far ahead the engine looks for a legal instant before giving up with NoCallingWindowError. */
export const SEARCH_HORIZON_DAYS = 400;

export type ClosedReason = "not_a_calling_day" | "holiday" | "outside_window";

/** The legal calling time of one lead on one campaign day: UTC intervals, half-open [start, end). */
export interface DayWindows {
  day: string;
  intervals: readonly TimeSpan[];
  /** why the day has no window at all (null when it has one) */
  closed: ClosedReason | null;
  /** human explanation of `closed`, e.g. "Thanksgiving Day (US federal holiday)" */
  closedBy: string | null;
}

export interface LeadWhere {
  timezones: readonly string[];
  states: readonly string[];
}

type Blocked = { closed: ClosedReason; closedBy: string };

function campaignDayBlock(calendar: CompiledCalendar, day: string): Blocked | null {
  const weekday = weekdayOf(day);
  if (!calendar.days.has(weekday)) {
    return {
      closed: "not_a_calling_day",
      closedBy: `${WEEKDAY_NAMES[weekday]} is not a campaign calling day`,
    };
  }
  const blackout = calendar.blackouts.get(day);
  if (blackout) return { closed: "holiday", closedBy: blackout };
  if (calendar.holidaysEnabled) {
    const names = federalHolidayNames(day).filter(
      (name) => !calendar.holidayExceptions.has(name.toLowerCase()),
    );
    if (names.length > 0) return { closed: "holiday", closedBy: `${names.join(", ")} (US federal holiday)` };
  }
  return null;
}

/** Allowed local hours on `day` under federal law and every applicable state row, or why none. */
function localHours(
  rules: readonly StateCallingRule[],
  day: string,
): { start: number; end: number } | Blocked {
  const weekday = weekdayOf(day);
  let start = FEDERAL_HOURS.start;
  let end = FEDERAL_HOURS.end;
  for (const rule of rules) {
    const hours = rule.hours[weekday];
    if (!hours)
      return {
        closed: "not_a_calling_day",
        closedBy: `${rule.state}: no calls on ${WEEKDAY_NAMES[weekday]}`,
      };
    if (rule.noLegalHolidays && isStateLegalHoliday(rule.state, day)) {
      return { closed: "holiday", closedBy: `${rule.state}: no calls on state legal holidays` };
    }
    const [from = "", to = ""] = hours.split("-");
    start = Math.max(start, hhmmToMinutes(from));
    end = Math.min(end, hhmmToMinutes(to));
  }
  return { start, end };
}

function hhmmToMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** The intervals of `span` during which it is legal to call someone in `zone`. */
function zoneWindows(
  span: TimeSpan,
  zone: string,
  rulesOn: (day: string) => readonly StateCallingRule[],
): { intervals: TimeSpan[]; blocked: Blocked | null } {
  const intervals: TimeSpan[] = [];
  let blocked: Blocked | null = null;
  const lastDay = localDay(span.end - 1, zone);
  for (let day = localDay(span.start, zone); day <= lastDay; day = addDays(day, 1)) {
    const hours = localHours(rulesOn(day), day);
    if ("closed" in hours) {
      blocked ??= hours;
      continue;
    }
    if (hours.end > hours.start) {
      intervals.push({
        start: zonedInstant(day, hours.start, zone),
        end: zonedInstant(day, hours.end, zone),
      });
    }
  }
  return { intervals: intersectSpans(intervals, [span]), blocked };
}

function computeDayWindows(calendar: CompiledCalendar, day: string, lead: LeadWhere): DayWindows {
  const campaignBlock = campaignDayBlock(calendar, day);
  if (campaignBlock) return { day, intervals: [], ...campaignBlock };
  const span = {
    start: zonedInstant(day, calendar.startMinutes, calendar.zone),
    end: zonedInstant(day, calendar.endMinutes, calendar.zone),
  };
  const zones = lead.timezones.length > 0 ? lead.timezones : SAFE_TIMEZONES;
  const rulesOn = (localDate: string) => applicableStateRules(calendar, lead.states, localDate);
  let intervals: TimeSpan[] = [span];
  let blocked: Blocked | null = null;
  for (const zone of zones) {
    const allowed = zoneWindows(span, zone, rulesOn);
    blocked ??= allowed.blocked;
    intervals = intersectSpans(intervals, allowed.intervals);
  }
  if (intervals.length > 0) return { day, intervals, closed: null, closedBy: null };
  const reason = blocked ?? {
    closed: "outside_window",
    closedBy: "the campaign hours and the lead's legal hours do not overlap",
  };
  return { day, intervals, ...reason };
}

/** The cache key of a lead's location. */
export function whereKeyOf(lead: LeadWhere): string {
  return `${lead.timezones.join(",")}|${lead.states.join(",")}`;
}

export function dayWindowsCompiled(
  calendar: CompiledCalendar,
  day: string,
  lead: LeadWhere,
  whereKey: string = whereKeyOf(lead),
): DayWindows {
  return cacheGet(calendar, whereKey, day, () => computeDayWindows(calendar, day, lead));
}

/**
 * The effective calling window of a lead on a campaign day: campaign hours/days in the campaign
 * zone ∩ federal 08:00–21:00 in every candidate zone ∩ every applicable state's hours/days, minus
 * blackout dates, US federal holidays and state legal holidays where a state forbids them.
 */
export function effectiveWindows(day: string, lead: LeadWhere, calendar: SchedulerConfig): DayWindows {
  return dayWindowsCompiled(compileCalendar(calendar), day, lead);
}

/** Minutes a lead may legally be called on a campaign day (reports: daily capacity). */
export function callingMinutesOnDay(day: string, lead: LeadWhere, calendar: SchedulerConfig): number {
  return effectiveWindows(day, lead, calendar).intervals.reduce(
    (sum, iv) => sum + (iv.end - iv.start) / 60_000,
    0,
  );
}

export interface OpenInstant {
  at: number;
  /** why `at` is later than the instant asked about (null when that instant is legal) */
  reason: ClosedReason | null;
  closedBy: string | null;
}

/** The earliest legal instant ≥ `from` (ms). Throws NoCallingWindowError past the search horizon. */
export function nextOpenInstantCompiled(
  calendar: CompiledCalendar,
  from: number,
  lead: LeadWhere,
  whereKey: string = whereKeyOf(lead),
): OpenInstant {
  const firstDay = campaignDayOf(calendar, from);
  let day = firstDay;
  let origin: DayWindows | null = null;
  for (let i = 0; i <= SEARCH_HORIZON_DAYS; i++, day = addDays(day, 1)) {
    const windows = dayWindowsCompiled(calendar, day, lead, whereKey);
    origin ??= windows;
    for (const iv of windows.intervals) {
      if (iv.end <= from) continue;
      if (iv.start <= from) return { at: from, reason: null, closedBy: null };
      return { at: iv.start, reason: origin.closed ?? "outside_window", closedBy: origin.closedBy };
    }
  }
  throw new NoCallingWindowError(
    `No legal calling instant within ${SEARCH_HORIZON_DAYS} days after ${firstDay} for a lead in ` +
      `${lead.timezones.join(", ") || "an unknown zone"} (${lead.states.join(", ") || "no state"}): ` +
      "check the scheduler config's days, hours and blackout dates against the state rules.",
  );
}

/** The earliest instant ≥ `from` at which calling the lead is legal and inside campaign hours. */
export function nextLegalInstant(from: Date, lead: LeadWhere, calendar: SchedulerConfig): Date {
  return new Date(nextOpenInstantCompiled(compileCalendar(calendar), from.getTime(), lead).at);
}

/** True when `at` is inside the lead's effective calling window. */
export function isWithinCallingWindow(at: Date, lead: LeadWhere, calendar: SchedulerConfig): boolean {
  const compiledCalendar = compileCalendar(calendar);
  const ms = at.getTime();
  const windows = dayWindowsCompiled(compiledCalendar, campaignDayOf(compiledCalendar, ms), lead);
  return windows.intervals.some((iv) => iv.start <= ms && ms < iv.end);
}
