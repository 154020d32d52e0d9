import { DateTime, IANAZone } from "luxon";

/**
 * Fast zone arithmetic for the hot path. luxon (via Intl) is the source of truth for every offset;
 * this module only caches it: per zone and UTC day, the offset at the day's start, and when the
 * offset changes during that day, the instant of the change (found by bisection to the minute).
 * IANA zones change offset at most once per day, which is what makes the cache exact.
 */
interface DayOffsets {
  before: number;
  after: number;
  /** first instant with `after` (Infinity when the offset does not change that day) */
  change: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const cache = new Map<string, Map<number, DayOffsets>>();
const zones = new Map<string, IANAZone>();

function zoneOf(name: string): IANAZone {
  let zone = zones.get(name);
  if (!zone) {
    zone = IANAZone.create(name);
    zones.set(name, zone);
  }
  return zone;
}

function computeDay(zone: IANAZone, dayStart: number): DayOffsets {
  const before = zone.offset(dayStart);
  const last = zone.offset(dayStart + DAY - MINUTE);
  if (before === last) return { before, after: before, change: Number.POSITIVE_INFINITY };
  // invariant: the offset at minute `low` is `before`, at minute `high` it is not
  let low = 0;
  let high = 1439;
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if (zone.offset(dayStart + mid * MINUTE) === before) low = mid;
    else high = mid;
  }
  const change = dayStart + high * MINUTE;
  return { before, after: zone.offset(change), change };
}

/** The UTC offset of `zone` at instant `ms`, in minutes (e.g. −300 for EST). */
export function offsetMinutes(zoneName: string, ms: number): number {
  let byDay = cache.get(zoneName);
  if (!byDay) {
    byDay = new Map();
    cache.set(zoneName, byDay);
  }
  const dayStart = Math.floor(ms / DAY) * DAY;
  let offsets = byDay.get(dayStart);
  if (!offsets) {
    offsets = computeDay(zoneOf(zoneName), dayStart);
    byDay.set(dayStart, offsets);
  }
  return ms < offsets.change ? offsets.before : offsets.after;
}

const dayNames = new Map<number, string>();

/** 'YYYY-MM-DD' of a day number (days since 1970-01-01), cached: the same few hundred days recur. */
export function dayName(dayNumber: number): string {
  let name = dayNames.get(dayNumber);
  if (name === undefined) {
    name = new Date(dayNumber * DAY).toISOString().slice(0, 10);
    dayNames.set(dayNumber, name);
  }
  return name;
}

/** The local calendar day 'YYYY-MM-DD' of an instant in `zone`. */
export function localDayOf(ms: number, zoneName: string): string {
  return dayName(Math.floor((ms + offsetMinutes(zoneName, ms) * MINUTE) / DAY));
}

/**
 * The instant of a local wall time (`wall` = the wall time written as if it were UTC) in `zone`.
 * Same resolution as luxon: a time in a spring-forward gap moves forward, an ambiguous fall-back
 * time takes the earlier instant.
 */
export function instantOfWallTime(wall: number, zoneName: string): number {
  const guess = offsetMinutes(zoneName, wall);
  let ts = wall - guess * MINUTE;
  const o2 = offsetMinutes(zoneName, ts);
  if (guess === o2) return ts;
  ts -= (o2 - guess) * MINUTE;
  const o3 = offsetMinutes(zoneName, ts);
  if (o2 === o3) return ts;
  return wall - Math.min(o2, o3) * MINUTE;
}

const abbreviations = new Map<string, string>();

/** "Mon 2026-03-09 10:00 CDT": an instant as a person in `zone` reads it. */
export function formatInstant(ms: number, zoneName: string): string {
  const offset = offsetMinutes(zoneName, ms);
  const text = new Date(ms + offset * MINUTE).toUTCString(); // "Mon, 09 Mar 2026 10:00:00 GMT"
  const iso = new Date(ms + offset * MINUTE).toISOString();
  return `${text.slice(0, 3)} ${iso.slice(0, 10)} ${iso.slice(11, 16)} ${abbreviation(zoneName, ms, offset)}`;
}

/** "10:00 CDT": the time of day only. */
export function formatTimeOfDay(ms: number, zoneName: string): string {
  const offset = offsetMinutes(zoneName, ms);
  return `${new Date(ms + offset * MINUTE).toISOString().slice(11, 16)} ${abbreviation(zoneName, ms, offset)}`;
}

function abbreviation(zoneName: string, ms: number, offset: number): string {
  const key = `${zoneName}|${offset}`;
  let name = abbreviations.get(key);
  if (name === undefined) {
    name = DateTime.fromMillis(ms, { zone: zoneName }).toFormat("ZZZZ");
    abbreviations.set(key, name);
  }
  return name;
}
