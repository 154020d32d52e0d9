import { IANAZone } from "luxon";

/**
 * Whether two IANA zones keep the same clock: the same UTC offset from 2024 to 2035 and the same
 * transitions to the hour. America/Indiana/Indianapolis, America/Detroit and
 * America/Kentucky/Louisville keep New York's clock; America/Juneau keeps Anchorage's;
 * America/Boise keeps Denver's. A zone's name says where a ZIP's polygon lies, its clock is what the
 * calling window depends on: zones are compared by clock, never by name.
 */
export function sameClock(a: string, b: string): boolean {
  if (a === b) return true;
  const left = signatureOf(a);
  return left !== null && left === signatureOf(b);
}

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
const FROM = Date.UTC(2024, 0, 1);
const TO = Date.UTC(2036, 0, 1);
const signatures = new Map<string, string | null>();

/** The offset at the start, then every transition (found weekly, narrowed to the hour) and its new offset. */
function signatureOf(zone: string): string | null {
  const known = signatures.get(zone);
  if (known !== undefined) return known;
  const iana = IANAZone.create(zone);
  let signature: string | null = null;
  if (iana.isValid) {
    let offset = iana.offset(FROM);
    const parts = [String(offset)];
    for (let at = FROM; at < TO; at += WEEK) {
      const next = iana.offset(at + WEEK);
      if (next !== offset) parts.push(transition(iana, at, at + WEEK));
      offset = next;
    }
    signature = parts.join(",");
  }
  signatures.set(zone, signature);
  return signature;
}

/** The hour at which the offset changes between `from` and `to`, with the offset after it. */
function transition(zone: IANAZone, from: number, to: number): string {
  const before = zone.offset(from);
  let low = from;
  let high = to;
  while (high - low > HOUR) {
    const middle = low + Math.floor((high - low) / 2 / HOUR) * HOUR;
    if (middle <= low) break;
    if (zone.offset(middle) === before) low = middle;
    else high = middle;
  }
  return `${high}:${zone.offset(high)}`;
}
