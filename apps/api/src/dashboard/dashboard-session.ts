import { hkdfSync } from "node:crypto";
import type { ApiKey } from "@redial/config";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { type FailedAuthGuard, findApiKey } from "../auth.ts";

declare module "@fastify/secure-session" {
  interface SessionData {
    /** The name of the API key the operator logged in with. */
    keyName: string;
  }
}

/**
 * The session cookie's encryption key: DASHBOARD_SESSION_SECRET when set, else derived from the
 * API keys (HKDF), so every API process of the fleet reads the same cookies and rotating the keys
 * logs everyone out.
 */
export function sessionKey(secret: string | undefined, apiKeys: readonly ApiKey[]): Buffer {
  const material = secret ?? apiKeys.map((k) => `${k.name}:${k.key}`).join("\n");
  return Buffer.from(hkdfSync("sha256", material, "redial-dashboard", "session-cookie", 32));
}

const loginBody = z.object({ api_key: z.string().min(1).max(500) });

/** Login with an API key (POST form, never in a URL), logout, and the check every page goes through. */
export function sessionRoutes(
  app: FastifyInstance,
  apiKeys: readonly ApiKey[],
  guard: FailedAuthGuard,
): void {
  app.get("/dashboard/login", async (request, reply) =>
    reply.view("login.eta", { csrf: reply.generateCsrf(), error: null, next: nextOf(request) }),
  );

  app.post("/dashboard/login", { preValidation: app.csrfProtection }, async (request, reply) => {
    await guard.refuseIfBlocked(request);
    const parsed = loginBody.safeParse(request.body);
    const key = parsed.success ? findApiKey(apiKeys, parsed.data.api_key.trim()) : undefined;
    if (!key) {
      // A wrong key counts towards the address's failed authentications (429 past the limit).
      await guard.count(request);
      return reply.status(401).view("login.eta", {
        csrf: reply.generateCsrf(),
        error: "That key is not one of API_KEYS.",
        next: nextOf(request),
      });
    }
    request.session.regenerate();
    request.session.set("keyName", key.name);
    return reply.redirect(safeNext(nextOf(request)));
  });

  app.post("/dashboard/logout", { preValidation: app.csrfProtection }, async (request, reply) => {
    request.session.delete();
    return reply.redirect("/dashboard/login");
  });
}

/**
 * onRequest for every dashboard page: a session naming a key that is still configured, else the
 * login page (pages) or 401 (fragments and downloads).
 */
export function requireSession(apiKeys: readonly ApiKey[]) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const name = request.session.get("keyName");
    if (name && apiKeys.some((key) => key.name === name)) {
      request.actor = { name };
      return;
    }
    if (request.method === "GET" && !request.headers["hx-request"])
      return reply.redirect(`/dashboard/login?next=${encodeURIComponent(request.url)}`);
    return reply
      .status(401)
      .send({ error: { code: "unauthorized", message: "Log in to the dashboard again." } });
  };
}

function nextOf(request: FastifyRequest): string {
  const query = request.query as { next?: unknown };
  const body = request.body as { next?: unknown } | undefined;
  const next = typeof body?.next === "string" ? body.next : query.next;
  return typeof next === "string" ? next : "/dashboard";
}

/** Only a path inside the dashboard: a login never sends the browser elsewhere. */
function safeNext(next: string): string {
  return /^\/dashboard(\/[^/\\]|$|\?)/.test(next) && !next.includes("//") ? next : "/dashboard";
}
