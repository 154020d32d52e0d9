/**
 * History phones: phone index p ↔ a US number, bijective so `to_number` and Convoso lookups can be
 * answered without storing anything. Live test numbers (555 exchange area) never collide.
 */

export const AREA_CODES = [
  { area: "212", state: "NY", zip: "10001" },
  { area: "305", state: "FL", zip: "33101" },
  { area: "312", state: "IL", zip: "60601" },
  { area: "415", state: "CA", zip: "94102" },
  { area: "512", state: "TX", zip: "73301" },
  { area: "602", state: "AZ", zip: "85001" },
  { area: "850", state: "FL", zip: "32501" },
  { area: "907", state: "AK", zip: "99501" },
  { area: "808", state: "HI", zip: "96801" },
  { area: "404", state: "GA", zip: "30301" },
  { area: "617", state: "MA", zip: "02108" },
  { area: "206", state: "WA", zip: "98101" },
  { area: "303", state: "CO", zip: "80201" },
  { area: "702", state: "NV", zip: "89101" },
  { area: "801", state: "UT", zip: "84101" },
  { area: "919", state: "NC", zip: "27601" },
] as const;

export type AreaCode = (typeof AREA_CODES)[number];

const MODULUS = 8_000_000;
const MULTIPLIER = 3_214_567;
const OFFSET = 1_234_567;
const INVERSE = modularInverse(MULTIPLIER, MODULUS);

export function areaFor(phoneIndex: number): AreaCode {
  return AREA_CODES[phoneIndex % AREA_CODES.length] as AreaCode;
}

/** E.164 number of history phone `phoneIndex` (< 8,000,000). */
export function historyPhone(phoneIndex: number): string {
  const local = 2_000_000 + ((phoneIndex * MULTIPLIER + OFFSET) % MODULUS);
  return `+1${areaFor(phoneIndex).area}${local}`;
}

/** The history phone index of a number, or undefined when it is not one of the first `phoneCount`. */
export function historyPhoneIndex(phone: string, phoneCount: number): number | undefined {
  const digits = tenDigits(phone);
  if (digits === undefined) return undefined;
  const local = Number(digits.slice(3)) - 2_000_000;
  if (local < 0) return undefined;
  const index = (((local - OFFSET + MODULUS) % MODULUS) * INVERSE) % MODULUS;
  if (index >= phoneCount || historyPhone(index) !== `+1${digits}`) return undefined;
  return index;
}

/** US number in any common format → its 10 digits, or undefined. */
export function tenDigits(phone: string): string | undefined {
  const digits = phone.replace(/\D/g, "");
  if (digits.length === 10) return digits;
  if (digits.length === 11 && digits.startsWith("1")) return digits.slice(1);
  return undefined;
}

/** Bland's rule: E.164, +1 assumed for 10 digits. Undefined when it cannot be a phone number. */
export function toE164(phone: string): string | undefined {
  const trimmed = phone.trim();
  if (/^\+[1-9]\d{7,14}$/.test(trimmed)) return trimmed;
  const digits = trimmed.replace(/[\s().-]/g, "");
  if (/^\d{10}$/.test(digits)) return `+1${digits}`;
  if (/^1\d{10}$/.test(digits)) return `+${digits}`;
  return undefined;
}

function modularInverse(a: number, m: number): number {
  let [oldR, r] = [a, m];
  let [oldS, s] = [1, 0];
  while (r !== 0) {
    const q = Math.floor(oldR / r);
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}
