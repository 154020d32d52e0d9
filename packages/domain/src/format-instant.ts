import { DateTime } from "luxon";

/** "Mon 2026-03-09 10:00 CDT": an instant as a person in `zone` reads it. */
export function formatInstant(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat("ccc yyyy-LL-dd HH:mm ZZZZ");
}

/** "10:00 CDT / 11:00 EDT": an instant in each of several zones (duplicates folded). */
export function formatInZones(ms: number, zones: readonly string[]): string {
  const texts = zones.map((zone) => DateTime.fromMillis(ms, { zone }).toFormat("HH:mm ZZZZ"));
  return [...new Set(texts)].join(" / ");
}
