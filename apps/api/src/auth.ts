import { timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { Unauthorized } from "./errors.ts";

/** Constant-time string comparison that does not leak the length through early exit. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** preHandler for admin routes: `X-API-Key` must be one of API_KEYS. */
export function requireApiKey(keys: readonly string[]) {
  return async (request: FastifyRequest): Promise<void> => {
    const given = request.headers["x-api-key"];
    if (typeof given !== "string" || !keys.some((key) => safeEqual(key, given))) {
      throw new Unauthorized("Send a valid X-API-Key header (one of API_KEYS).");
    }
  };
}
