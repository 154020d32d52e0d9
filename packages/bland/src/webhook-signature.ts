import { createHmac, timingSafeEqual } from "node:crypto";

/** HMAC-SHA256 of the exact body bytes with the webhook secret, lowercase hex (Bland's X-Webhook-Signature). */
export function signWebhook(rawBody: string | Buffer, secret: string): string {
  return createHmac("sha256", secret).update(rawBody).digest("hex");
}

/** Constant-time check of an X-Webhook-Signature header against the raw body; false for any malformed header. */
export function verifyWebhookSignature(
  rawBody: Buffer | string,
  signatureHeader: string | undefined,
  secret: string,
): boolean {
  if (signatureHeader === undefined) return false;
  const received = signatureHeader.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(received)) return false;
  const expected = Buffer.from(signWebhook(rawBody, secret), "hex");
  const actual = Buffer.from(received, "hex");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
