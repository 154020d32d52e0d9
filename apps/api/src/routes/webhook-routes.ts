import { type RedialContext, receiveBlandWebhook } from "@redial/services";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { blandSignature, type FailedAuthGuard } from "../auth.ts";
import { blandCallBody, parseBlandCall } from "../bland-call-body.ts";
import { BODY_LIMITS } from "../edge-limits.ts";

export interface BlandWebhookOptions {
  blandSecret: string;
  guard: FailedAuthGuard;
  /** The route's rate limit per client IP (`@fastify/rate-limit` route config); false = none. */
  rateLimit: { max: number; timeWindow: number } | false;
}

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
        body: z.toJSONSchema(blandCallBody, { io: "input" }),
      },
    },
    async (request, reply) => {
      const call = parseBlandCall(request.body);
      // The use case stores the event (or counts a redelivery of the same bytes) and ends it with its result.
      const result = await receiveBlandWebhook(ctx, call, request.rawBody);
      if (result.status === "unknown_call")
        request.log.warn({ callId: result.callId }, "webhook for an unknown call stored");
      return reply.status(200).send({
        received: true,
        result: result.status,
        call_id: result.callId,
        outcome: result.outcome ?? null,
        outcome_reason: result.outcomeReason ?? null,
      });
    },
  );
}
