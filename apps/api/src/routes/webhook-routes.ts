import { markWebhookEvent } from "@redial/db";
import { type BlandCallObject, type RedialContext, receiveBlandWebhook } from "@redial/services";
import type { FastifyInstance } from "fastify";
import { blandSignature, type FailedAuthGuard } from "../auth.ts";
import { BODY_LIMITS } from "../edge-limits.ts";
import { BadRequest } from "../errors.ts";

export interface BlandWebhookOptions {
  blandSecret: string;
  guard: FailedAuthGuard;
  /** The route's rate limit per client IP (`@fastify/rate-limit` route config); false = none. */
  rateLimit: { max: number; timeWindow: number } | false;
}

/** Bland's call ids are UUIDs; anything far longer is not one. */
const CALL_ID_MAX = 128;

export function webhookRoutes(app: FastifyInstance, ctx: RedialContext, options: BlandWebhookOptions): void {
  const signature = blandSignature(options.blandSecret, options.guard);
  app.post(
    "/v1/webhooks/bland",
    {
      bodyLimit: BODY_LIMITS.blandWebhook,
      onRequest: signature.header,
      preHandler: signature.verified,
      // The raw event is stored whole: text PostgreSQL cannot store is stripped, not refused.
      config: { bodyText: "strip", verifyBody: signature.verifyBody, rateLimit: options.rateLimit },
      schema: {
        tags: ["webhooks"],
        summary: "Bland call-ended webhook (X-Webhook-Signature: HMAC-SHA256 hex of the raw body)",
        security: [{ blandSignature: [] }],
        body: { type: "object", additionalProperties: true },
      },
    },
    async (request, reply) => {
      const call = request.body as BlandCallObject;
      if (!call || typeof call !== "object" || Array.isArray(call))
        throw new BadRequest("The webhook body must be a Bland call object.");
      checkCallIds(call);
      let eventId: number | undefined;
      try {
        // The raw event is stored (and committed) first; its result in the same request.
        const result = await receiveBlandWebhook(ctx, call, (stored) => {
          eventId = stored;
        });
        if (result.status === "unknown_call")
          request.log.warn({ callId: result.callId, eventId }, "webhook for an unknown call stored");
        return reply.status(200).send({
          received: true,
          result: result.status,
          call_id: result.callId,
          outcome: result.outcome ?? null,
        });
      } catch (error) {
        if (eventId !== undefined)
          await markWebhookEvent(
            ctx.db,
            eventId,
            "error",
            error instanceof Error ? error.message : String(error),
          );
        throw error;
      }
    },
  );
}

/** `call_id` / `c_id`, when sent, are strings no longer than any call id: else 400 naming the field. */
function checkCallIds(call: BlandCallObject): void {
  for (const field of ["call_id", "c_id"] as const) {
    const value = (call as Record<string, unknown>)[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== "string")
      throw new BadRequest(
        `${field}: a Bland call id is a string, got ${Array.isArray(value) ? "an array" : typeof value}.`,
      );
    if (value.length > CALL_ID_MAX)
      throw new BadRequest(
        `${field}: ${value.length} characters; a Bland call id has at most ${CALL_ID_MAX}.`,
      );
  }
}
