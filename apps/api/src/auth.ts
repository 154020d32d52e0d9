import { timingSafeEqual } from "node:crypto";
import { verifyWebhookSignature } from "@redial/bland";
import type { ApiKey } from "@redial/config";
import type { Actor } from "@redial/db";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { RateLimited, Unauthorized } from "./errors.ts";

/** Constant-time string comparison that does not leak the length through early exit. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

declare module "fastify" {
  interface FastifyRequest {
    /** Who asked: the name of the API key (or of the dashboard login's key). */
    actor?: Actor;
  }
}

/** The key among `keys` equal to `given` (every key compared, in constant time each). */
export function findApiKey(keys: readonly ApiKey[], given: string): ApiKey | undefined {
  let found: ApiKey | undefined;
  for (const key of keys) if (safeEqual(key.key, given)) found = key;
  return found;
}

/**
 * Failed authentications counted per client IP (`@fastify/rate-limit`'s store, per process):
 * past the limit every request of that IP answers 429 until the minute is over, a right key too,
 * so guessing cannot go on behind it.
 */
export interface FailedAuthGuard {
  /** 429 when this client failed too often lately; checked before its credentials. */
  refuseIfBlocked(request: FastifyRequest): Promise<void>;
  /** Count one failure; 429 once over the limit (the caller answers the failure itself). */
  count(request: FastifyRequest): Promise<void>;
  /** Count one failure and refuse (401, or 429 once over the limit). */
  fail(request: FastifyRequest, message: string): Promise<never>;
}

export function failedAuthGuard(app: FastifyInstance, perMinute: number): FailedAuthGuard {
  const failures = app.createRateLimit({ max: perMinute, timeWindow: 60_000 });
  const blocked = (seconds: number) =>
    new RateLimited(
      `Too many failed authentications from this address: wait ${seconds} s and send valid credentials.`,
    );
  return {
    async refuseIfBlocked(request) {
      const state = await failures(request, { increment: false });
      if (!state.isAllowed && state.isExceeded) throw blocked(state.ttlInSeconds);
    },
    async count(request) {
      const state = await failures(request);
      if (!state.isAllowed && state.isExceeded) throw blocked(state.ttlInSeconds);
    },
    async fail(request, message) {
      await this.count(request);
      throw new Unauthorized(message);
    },
  };
}

/**
 * onRequest (before the body is read) for admin routes: `X-API-Key` must be one of API_KEYS; its
 * name becomes the actor. Failures count towards the address's failed-authentication limit.
 */
export function requireApiKey(keys: readonly ApiKey[], guard: FailedAuthGuard) {
  return async (request: FastifyRequest): Promise<void> => {
    await guard.refuseIfBlocked(request);
    const given = request.headers["x-api-key"];
    const key = typeof given === "string" ? findApiKey(keys, given) : undefined;
    if (!key) return guard.fail(request, "Send a valid X-API-Key header (one of API_KEYS).");
    request.actor = { name: key.name };
  };
}

/** The actor a route records a change under (set by requireApiKey or the dashboard's session). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Unauthorized("Log in first: no API key or session names who is asking.");
  return request.actor;
}

/**
 * onRequest (before the body is read) for Convoso's webhooks: the shared token in the
 * `X-Webhook-Token` header, or as `?token=` for a webhook configuration that can only set a URL
 * (the logger masks it in every logged URL). A token in the body is not read: it would need the
 * body parsed before the sender is known.
 */
export function requireConvosoToken(token: string | undefined, guard: FailedAuthGuard) {
  return async (request: FastifyRequest): Promise<void> => {
    await guard.refuseIfBlocked(request);
    if (!token) throw new Unauthorized("Convoso webhooks are disabled: set CONVOSO_WEBHOOK_TOKEN.");
    const query = request.query as Record<string, unknown>;
    const given = request.headers["x-webhook-token"] ?? query.token;
    if (typeof given !== "string" || !safeEqual(token, given))
      await guard.fail(
        request,
        "Send the shared token (CONVOSO_WEBHOOK_TOKEN) as X-Webhook-Token or ?token=.",
      );
  };
}

const SIGNATURE = /^\s*[0-9a-fA-F]{64}\s*$/;

/**
 * Bland's webhook is signed over its raw bytes, so it cannot be verified before it is read; what
 * can be is checked first: onRequest refuses a request without a well-formed
 * `X-Webhook-Signature` before a byte of its body is read, the route's body limit bounds the
 * rest, and `verifyBody` checks the HMAC over the raw bytes before they are parsed as JSON.
 */
export function blandSignature(secret: string, guard: FailedAuthGuard) {
  const refuse = (request: FastifyRequest) => guard.fail(request, "Invalid or missing X-Webhook-Signature.");
  return {
    async header(request: FastifyRequest): Promise<void> {
      await guard.refuseIfBlocked(request);
      const signature = request.headers["x-webhook-signature"];
      if (typeof signature !== "string" || !SIGNATURE.test(signature)) await refuse(request);
    },
    async verifyBody(raw: Buffer, request: FastifyRequest): Promise<void> {
      const signature = request.headers["x-webhook-signature"];
      if (!verifyWebhookSignature(raw, typeof signature === "string" ? signature : undefined, secret))
        await refuse(request);
      request.bodyVerified = true;
    },
    /** preHandler: a body no parser verified (none sent, or not JSON) is refused too. */
    async verified(request: FastifyRequest): Promise<void> {
      if (request.bodyVerified !== true) await refuse(request);
    },
  };
}

declare module "fastify" {
  interface FastifyRequest {
    /** The raw bytes of a JSON or form body (webhook signatures are computed over them). */
    rawBody?: Buffer;
    /** Set when the route's `verifyBody` accepted the raw bytes. */
    bodyVerified?: boolean;
  }
}
