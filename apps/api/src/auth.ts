import { timingSafeEqual } from "node:crypto";
import type { ApiKey } from "@redial/config";
import type { Actor } from "@redial/db";
import type { FastifyRequest } from "fastify";
import { Unauthorized } from "./errors.ts";

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

/** preHandler for admin routes: `X-API-Key` must be one of API_KEYS; its name becomes the actor. */
export function requireApiKey(keys: readonly ApiKey[]) {
  return async (request: FastifyRequest): Promise<void> => {
    const given = request.headers["x-api-key"];
    const key = typeof given === "string" ? findApiKey(keys, given) : undefined;
    if (!key) throw new Unauthorized("Send a valid X-API-Key header (one of API_KEYS).");
    request.actor = { name: key.name };
  };
}

/** The actor a route records a change under (set by requireApiKey or the dashboard's session). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Unauthorized("Log in first: no API key or session names who is asking.");
  return request.actor;
}
