import * as chrono from "chrono-node";
import { DateTime, FixedOffsetZone } from "luxon";
import { canonicalLabel } from "./outcome-labels.ts";

/** A callback time found in a call's variables. */
export interface CallbackTime {
  at: Date;
  /** e.g. `variables.callback_time` */
  source: string;
  text: string;
  /** the zone a time written without one was read in; null when the text named its own */
  readIn: string | null;
}

const CALLBACK_KEY =
  /^(call ?back|callback)( requested)?( (time|at|datetime|date time|date and time|when))?$/;
const DATE_KEY = /^(call ?back|callback) (date|day)$/;
const BEST_TIME_KEY = /^best time to (call|call back|reach)( me)?$/;

/** Zone names said without a standard/daylight letter follow DST: read them in the IANA zone. */
const GENERIC_ZONES: ReadonlyArray<[RegExp, string]> = [
  [/\b(et|eastern)\b/, "America/New_York"],
  [/\b(ct|central)\b/, "America/Chicago"],
  [/\b(mt|mountain)\b/, "America/Denver"],
  [/\b(pt|pacific)\b/, "America/Los_Angeles"],
  [/\b(akt|alaska)\b/, "America/Anchorage"],
  [/\b(ht|hawaii)\b/, "Pacific/Honolulu"],
];

/**
 * The callback time in `variables` (callback_time, callback_at, callback_datetime, best_time_to_call…;
 * a separate callback_date joins a time without a date). Read: ISO 8601 and SQL text, then common
 * written forms through chrono-node ("12/08/2026 3:00 PM", "Dec 8 at 3pm EST", "tomorrow at 3pm").
 * A time without a zone is read in `zone`; "ET"/"Central"… in that US zone, DST included. Relative
 * forms need `now`; a text without an hour is not a time.
 */
export function callbackTimeOf(
  variables: Record<string, unknown> | null | undefined,
  zone: string,
  now?: Date,
): CallbackTime | null {
  const entries = Object.entries(variables ?? {});
  const date = entries.find(([key, v]) => DATE_KEY.test(canonicalLabel(key)) && typeof v === "string");
  for (const [key, value] of entries) {
    const canonical = canonicalLabel(key);
    if (!CALLBACK_KEY.test(canonical) && !BEST_TIME_KEY.test(canonical)) continue;
    if (typeof value !== "string" || value.trim() === "") continue;
    const text = value.trim();
    const alone = readTime(text, zone, now);
    const joined = date && !alone?.dated ? readTime(`${String(date[1]).trim()} ${text}`, zone, now) : null;
    const parsed = joined ?? alone;
    if (parsed) return { at: parsed.at, readIn: parsed.readIn, source: `variables.${key}`, text };
  }
  return null;
}

/** A time read from text; `dated` when the text named the day (not only an hour). */
type ReadTime = Pick<CallbackTime, "at" | "readIn"> & { dated: boolean };

function readTime(text: string, zone: string, now?: Date): ReadTime | null {
  const iso = DateTime.fromISO(text, { zone, setZone: true });
  if (iso.isValid) return { at: iso.toJSDate(), readIn: hasOffset(text) ? null : zone, dated: true };
  const sqlTime = DateTime.fromSQL(text, { zone, setZone: true });
  if (sqlTime.isValid) return { at: sqlTime.toJSDate(), readIn: hasOffset(text) ? null : zone, dated: true };
  return readWritten(text, zone, now);
}

function hasOffset(text: string): boolean {
  return /(z|[+-]\d{2}(:?\d{2})?)$/i.test(text.trim());
}

function readWritten(text: string, zone: string, now?: Date): ReadTime | null {
  const reference = now ?? new Date(0);
  const offset = DateTime.fromJSDate(reference, { zone }).offset;
  const [result] = chrono.parse(text, { instant: reference, timezone: offset }, { forwardDate: true });
  if (!result?.start.isCertain("hour")) return null;
  const start = result.start;
  if (!now && !(start.isCertain("day") && start.isCertain("month"))) return null;
  const fields = {
    year: start.get("year") ?? undefined,
    month: start.get("month") ?? undefined,
    day: start.get("day") ?? undefined,
    hour: start.get("hour") ?? undefined,
    minute: start.get("minute") ?? 0,
  };
  const generic = GENERIC_ZONES.find(([pattern]) => pattern.test(canonicalLabel(result.text)))?.[1];
  const statedOffset = start.isCertain("timezoneOffset") ? start.get("timezoneOffset") : null;
  const readIn = generic ?? (statedOffset === null ? zone : null);
  const at = DateTime.fromObject(fields, {
    zone: readIn ?? FixedOffsetZone.instance(statedOffset ?? 0),
  });
  const dated = start.isCertain("day");
  return at.isValid ? { at: at.toJSDate(), readIn: generic ? null : readIn, dated } : null;
}
