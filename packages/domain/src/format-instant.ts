import { formatInstant, formatTimeOfDay } from "./zone-clock.ts";

export { formatInstant };

/** "10:00 CDT / 11:00 EDT": an instant in each of several zones (duplicates folded). */
export function formatInZones(ms: number, zones: readonly string[]): string {
  return [...new Set(zones.map((zone) => formatTimeOfDay(ms, zone)))].join(" / ");
}
