import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhookSignature } from "../src/index.ts";

const secret = "s3cret";
const body = '{"call_id":"abc","metadata":{"attempt_id":"1"}}';

describe("webhook signatures", () => {
  it("is the lowercase hex HMAC-SHA256 of the exact body bytes", () => {
    const expected = createHmac("sha256", secret).update(body).digest("hex");
    expect(signWebhook(body, secret)).toBe(expected);
    expect(signWebhook(Buffer.from(body), secret)).toBe(expected);
  });

  it("accepts the right signature over string or Buffer, in any letter case", () => {
    const signature = signWebhook(body, secret);
    expect(verifyWebhookSignature(Buffer.from(body), signature, secret)).toBe(true);
    expect(verifyWebhookSignature(body, signature.toUpperCase(), secret)).toBe(true);
  });

  it("rejects a changed body, another secret, a missing, short or non-hex header", () => {
    const signature = signWebhook(body, secret);
    expect(verifyWebhookSignature(`${body} `, signature, secret)).toBe(false);
    expect(verifyWebhookSignature(body, signature, "other")).toBe(false);
    expect(verifyWebhookSignature(body, undefined, secret)).toBe(false);
    expect(verifyWebhookSignature(body, signature.slice(0, 20), secret)).toBe(false);
    expect(verifyWebhookSignature(body, "z".repeat(64), secret)).toBe(false);
  });
});
