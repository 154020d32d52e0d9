import { InvalidDayError } from "./errors.ts";
import { dayName, instantOfWallTime, localDayOf } from "./zone-clock.ts";

/** Calendar arithmetic on 'YYYY-MM-DD' strings, zone-free (a day is a label, not an instant). */
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

function dayParts(day: string): [number, number, number] {
  const match = DAY.exec(day);
  if (!match) throw new InvalidDayError(day);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function utcMidnight(day: string): number {
  const [year, month, date] = dayParts(day);
  return Date.UTC(year, month - 1, date);
}

/** 0 = Sunday … 6 = Saturday */
export function weekdayOf(day: string): number {
  return new Date(utcMidnight(day)).getUTCDay();
}

const nextDays = new Map<string, string>();

export function addDays(day: string, days: number): string {
  if (days !== 1) return dayName(Math.round(utcMidnight(day) / MS_PER_DAY) + days);
  let next = nextDays.get(day);
  if (next === undefined) {
    next = dayName(Math.round(utcMidnight(day) / MS_PER_DAY) + 1);
    nextDays.set(day, next);
  }
  return next;
}

/** The instant of local time `minutes` after midnight of `day` in `zone` (DST gaps move forward). */
export function zonedInstant(day: string, minutes: number, zone: string): number {
  return instantOfWallTime(utcMidnight(day) + minutes * 60_000, zone);
}

/** The local calendar day of an instant in `zone`. */
export function localDay(ms: number, zone: string): string {
  return localDayOf(ms, zone);
}

export const WEEKDAY_NAMES = [
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
] as const;
