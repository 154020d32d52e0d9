import { addDays, localDay, zonedInstant } from "./calendar-day.ts";
import { STATE_RULES_BY_STATE, type StateCallingRule } from "./data/state-calling-rules.ts";
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
  windowCache: Map<string, unknown>;
  dayOfBucket: Map<number, string>;
  dayStartCache: Map<string, number>;
}

const compiled = new WeakMap<SchedulerConfig, CompiledCalendar>();
const MAX_CACHE_ENTRIES = 200_000;
/** Every modern UTC offset and DST switch falls on a quarter hour, so a 15-minute bucket has one day. */
const BUCKET_MS = 15 * 60_000;

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
    dayOfBucket: new Map(),
    dayStartCache: new Map(),
  };
  compiled.set(config, calendar);
  return calendar;
}

/** The campaign day of an instant (cached by quarter hour). */
export function campaignDayOf(calendar: CompiledCalendar, ms: number): string {
  const bucket = Math.floor(ms / BUCKET_MS);
  const cached = calendar.dayOfBucket.get(bucket);
  if (cached !== undefined) return cached;
  const day = localDay(bucket * BUCKET_MS, calendar.zone);
  if (calendar.dayOfBucket.size > MAX_CACHE_ENTRIES) calendar.dayOfBucket.clear();
  calendar.dayOfBucket.set(bucket, day);
  return day;
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
    const rule = STATE_RULES_BY_STATE.get(state);
    if (rule && rule.effectiveFrom <= day && !switches.disabled.includes(state)) rules.push(rule);
  }
  return rules;
}

export function cacheGet<T>(calendar: CompiledCalendar, key: string, build: () => T): T {
  const cached = calendar.windowCache.get(key);
  if (cached !== undefined) return cached as T;
  const value = build();
  if (calendar.windowCache.size > MAX_CACHE_ENTRIES) calendar.windowCache.clear();
  calendar.windowCache.set(key, value);
  return value;
}
