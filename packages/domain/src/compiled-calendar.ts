import { addDays, localDay, zonedInstant } from "./calendar-day.ts";
import { type StateCallingRule, stateRuleOn } from "./data/state-calling-rules.ts";
import { minutesOfDay, type SchedulerConfig } from "./scheduler-config.ts";

/**
 * A SchedulerConfig prepared for fast repeated questions (one per config object, via a WeakMap):
 * parsed hours, blackout lookups, and caches of per-day windows and instant → campaign day.
 */
export interface CompiledCalendar {
  config: SchedulerConfig;
  zone: string;
  days: ReadonlySet<number>;
  startMinutes: number;
  endMinutes: number;
  blackouts: ReadonlyMap<string, string>;
  holidaysEnabled: boolean;
  holidayExceptions: ReadonlySet<string>;
  /** where-key (zones|states) → campaign day → windows */
  windowCache: Map<string, Map<string, unknown>>;
  dayStartCache: Map<string, number>;
}

const compiled = new WeakMap<SchedulerConfig, CompiledCalendar>();
const MAX_CACHE_ENTRIES = 200_000;

export function compileCalendar(config: SchedulerConfig): CompiledCalendar {
  const existing = compiled.get(config);
  if (existing) return existing;
  const blackouts = new Map<string, string>(
    config.blackoutDates.map((day) => [day, "campaign blackout date"]),
  );
  for (const { date, name } of config.namedBlackouts) blackouts.set(date, `campaign blackout: ${name}`);
  const calendar: CompiledCalendar = {
    config,
    zone: config.timezone,
    days: new Set(config.schedule.days),
    startMinutes: minutesOfDay(config.schedule.startTime),
    endMinutes: minutesOfDay(config.schedule.endTime),
    blackouts,
    holidaysEnabled: config.holidays.enabled,
    holidayExceptions: new Set(config.holidays.except.map((name) => name.toLowerCase())),
    windowCache: new Map(),
    dayStartCache: new Map(),
  };
  compiled.set(config, calendar);
  return calendar;
}

/** The campaign day of an instant. */
export function campaignDayOf(calendar: CompiledCalendar, ms: number): string {
  return localDay(ms, calendar.zone);
}

/** The first instant of a campaign day (local midnight in the campaign zone). */
export function campaignDayStart(calendar: CompiledCalendar, day: string): number {
  const cached = calendar.dayStartCache.get(day);
  if (cached !== undefined) return cached;
  const start = zonedInstant(day, 0, calendar.zone);
  if (calendar.dayStartCache.size > MAX_CACHE_ENTRIES) calendar.dayStartCache.clear();
  calendar.dayStartCache.set(day, start);
  return start;
}

export function nextCampaignDayStart(calendar: CompiledCalendar, day: string): number {
  return campaignDayStart(calendar, addDays(day, 1));
}

/** The state rows that apply on `day` to a lead in `states`, given the config's compliance switches. */
export function applicableStateRules(
  calendar: CompiledCalendar,
  states: readonly string[],
  day: string,
): StateCallingRule[] {
  const switches = calendar.config.compliance.states;
  if (!switches.enabled) return [];
  const rules: StateCallingRule[] = [];
  for (const state of states) {
    const rule = stateRuleOn(state, day);
    if (rule && !switches.disabled.includes(state)) rules.push(rule);
  }
  return rules;
}

/** A per-config, per-lead-location, per-day cache (bounded: cleared when it grows too big). */
export function cacheGet<T>(calendar: CompiledCalendar, whereKey: string, day: string, build: () => T): T {
  let byDay = calendar.windowCache.get(whereKey);
  if (!byDay) {
    if (calendar.windowCache.size > MAX_CACHE_ENTRIES / 100) calendar.windowCache.clear();
    byDay = new Map();
    calendar.windowCache.set(whereKey, byDay);
  }
  const cached = byDay.get(day);
  if (cached !== undefined) return cached as T;
  const value = build();
  if (byDay.size > 1000) byDay.clear();
  byDay.set(day, value);
  return value;
}
