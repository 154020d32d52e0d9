import { ConvosoError } from "./convoso-error.ts";

/**
 * The 10-digit US number Convoso stores, from E.164 (+15551234567), 11 digits with the leading 1,
 * or 10 digits with any punctuation. Throws ConvosoError "invalid" (nothing is sent) otherwise.
 */
export function toTenDigits(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  if (digits.length === 10) return digits;
  if (digits.length === 11 && digits.startsWith("1")) return digits.slice(1);
  throw new ConvosoError(
    "invalid",
    `"${phone}" is not a US phone number; pass E.164 (+1 and 10 digits) or 10 digits`,
  );
}
