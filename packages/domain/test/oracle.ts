import Holidays from "date-holidays";
import { DateTime } from "luxon";
import {
  type LeadSnapshot,
  SAFE_TIMEZONES,
  type SchedulerConfig,
  STATE_CALLING_RULES,
  type StateCallingRule,
} from "../src/index.ts";

/**
 * An independent, slow statement of the law and the campaign calendar for ONE instant, written
 * straight from compliance.md without the engine's interval machinery: the property tests check
 * the engine against it.
 */
const holidayCache = new Map<string, Set<string>>();
function publicHolidays(state: string | null, year: number): Set<string> {
  const key = `${state}:${year}`;
  let days = holidayCache.get(key);
  if (!days) {
    const calendar = state ? new Holidays("US", state) : new Holidays("US");
    days = new Set(
      calendar
        .getHolidays(year)
        .filter((h) => h.type === "public" || (h.substitute === true && h.type === "bank"))
        .map((h) => h.date.slice(0, 10)),
    );
    holidayCache.set(key, days);
  }
  return days;
}

const minutesOf = (local: DateTime): number =>
  local.hour * 60 + local.minute + local.second / 60 + local.millisecond / 60_000;
const hm = (text: string): number => Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));

function stateRules(config: SchedulerConfig, states: readonly string[], day: string): StateCallingRule[] {
  if (!config.compliance.states.enabled) return [];
  return STATE_CALLING_RULES.filter(
    (rule) =>
      states.includes(rule.state) &&
      !config.compliance.states.disabled.includes(rule.state) &&
      rule.effectiveFrom <= day,
  );
}

export function campaignAllows(ms: number, config: SchedulerConfig): boolean {
  const local = DateTime.fromMillis(ms, { zone: config.timezone });
  const day = local.toISODate() ?? "";
  if (!config.schedule.days.includes(local.weekday % 7)) return false;
  if (config.blackoutDates.includes(day) || config.namedBlackouts.some((b) => b.date === day)) return false;
  if (config.holidays.enabled && publicHolidays(null, local.year).has(day)) return false;
  const minutes = minutesOf(local);
  return minutes >= hm(config.schedule.startTime) && minutes < hm(config.schedule.endTime);
}

export function lawAllows(
  ms: number,
  lead: Pick<LeadSnapshot, "timezones" | "states">,
  config: SchedulerConfig,
): boolean {
  const zones = lead.timezones.length > 0 ? lead.timezones : SAFE_TIMEZONES;
  return zones.every((zone) => {
    const local = DateTime.fromMillis(ms, { zone });
    const minutes = minutesOf(local);
    if (minutes < 8 * 60 || minutes >= 21 * 60) return false;
    const day = local.toISODate() ?? "";
    return stateRules(config, lead.states, day).every((rule) => {
      const hours = rule.hours[local.weekday % 7];
      if (!hours) return false;
      if (rule.noLegalHolidays && publicHolidays(rule.state, local.year).has(day)) return false;
      return minutes >= hm(hours.slice(0, 5)) && minutes < hm(hours.slice(6, 11));
    });
  });
}

export function isLegalInstant(
  ms: number,
  lead: Pick<LeadSnapshot, "timezones" | "states">,
  config: SchedulerConfig,
): boolean {
  return campaignAllows(ms, config) && lawAllows(ms, lead, config);
}

/** Rolling caps that apply to a dial at `ms` (rule effective on that campaign day). */
export function rollingCapsAt(ms: number, lead: Pick<LeadSnapshot, "states">, config: SchedulerConfig) {
  const day = DateTime.fromMillis(ms, { zone: config.timezone }).toISODate() ?? "";
  return stateRules(config, lead.states, day).flatMap((rule) => (rule.rollingCap ? [rule.rollingCap] : []));
}
