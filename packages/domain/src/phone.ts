import { parsePhoneNumberFromString } from "libphonenumber-js";

/** The United States and its inhabited territories on the +1 plan: PR, VI, GU, MP, AS (not Canada). */
const US_COUNTRIES = new Set(["US", "PR", "VI", "GU", "MP", "AS"]);

/**
 * Any US format ("(305) 555-0100", "305.555.0100", "+1 305…", "1-305-…") → E.164 "+13055550100";
 * null when not a valid number of the US or a US territory (787/939 Puerto Rico, 340 Virgin Islands,
 * 671 Guam, 670 Northern Marianas, 684 American Samoa).
 */
export function normalizePhone(input: string): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), "US");
  if (!parsed?.country || !US_COUNTRIES.has(parsed.country) || !parsed.isValid()) return null;
  return parsed.number;
}

/** The three-digit area code of a +1 E.164 number, or null. */
export function areaCodeOf(e164: string): string | null {
  const match = /^\+1(\d{3})\d{7}$/.exec(e164);
  return match?.[1] ?? null;
}

/** The last four digits only ("•••0100"): log lines never carry a whole phone number. */
export function maskPhone(phone: string): string {
  return `•••${phone.slice(-4)}`;
}
