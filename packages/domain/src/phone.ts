import { parsePhoneNumberFromString } from "libphonenumber-js";

/** Any US format ("(305) 555-0100", "305.555.0100", "+1 305…", "1-305-…") → E.164 "+13055550100"; null when not a valid US number. */
export function normalizePhone(input: string): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), "US");
  if (parsed?.country !== "US" || !parsed.isValid()) return null;
  return parsed.number;
}

/** The three-digit area code of a +1 E.164 number, or null. */
export function areaCodeOf(e164: string): string | null {
  const match = /^\+1(\d{3})\d{7}$/.exec(e164);
  return match?.[1] ?? null;
}
