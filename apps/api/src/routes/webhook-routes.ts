import { verifyWebhookSignature } from "@redial/bland";
import { markWebhookEvent, storeWebhookEvent } from "@redial/db";
import {
  applyConvosoStatus,
  type BlandCallObject,
  intakeLead,
  leadInputSchema,
  type RedialContext,
  receiveBlandWebhook,
} from "@redial/services";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { safeEqual } from "../auth.ts";
import { BadRequest, Unauthorized } from "../errors.ts";

declare module "fastify" {
  interface FastifyRequest {
    rawBody?: Buffer;
  }
}

export interface WebhookSecrets {
  blandSecret: string;
  convosoToken: string | undefined;
}

/** Convoso's own field names, mapped onto ours. */
const convosoLeadBody = z
  .object({
    phone_number: z.coerce.string(),
    lead_id: z.coerce.string().optional(),
    list_id: z.coerce.string().optional(),
    postal_code: z.coerce.string().optional(),
    state: z.string().optional(),
    first_name: z.string().optional(),
    last_name: z.string().optional(),
    email: z.string().optional(),
  })
  .transform((c) => ({
    phone: c.phone_number,
    convoso_lead_id: c.lead_id,
    list_id: c.list_id,
    zip: c.postal_code || undefined,
    state: c.state || undefined,
    first_name: c.first_name,
    last_name: c.last_name,
    email: c.email || undefined,
    source: "convoso",
  }));

const convosoStatusBody = z
  .object({
    status: z.string().min(1, "the Convoso status code"),
    phone_number: z.coerce.string().optional(),
    lead_id: z.coerce.string().optional(),
  })
  .refine((b) => b.phone_number || b.lead_id, {
    message: "send phone_number or lead_id",
    path: ["phone_number"],
  });

export function requireConvosoToken(token: string | undefined) {
  return async (request: FastifyRequest): Promise<void> => {
    const query = request.query as Record<string, unknown>;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const given = request.headers["x-webhook-token"] ?? query.token ?? body.auth_token;
    if (!token) throw new Unauthorized("Convoso webhooks are disabled: set CONVOSO_WEBHOOK_TOKEN.");
    if (typeof given !== "string" || !safeEqual(token, given))
      throw new Unauthorized("Send the shared token (CONVOSO_WEBHOOK_TOKEN) as X-Webhook-Token or ?token=.");
  };
}

export function webhookRoutes(app: FastifyInstance, ctx: RedialContext, secrets: WebhookSecrets): void {
  app.post(
    "/v1/webhooks/bland",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Bland call-ended webhook (X-Webhook-Signature: HMAC-SHA256 hex of the raw body)",
      },
    },
    async (request, reply) => {
      const signature = request.headers["x-webhook-signature"];
      if (
        !request.rawBody ||
        !verifyWebhookSignature(
          request.rawBody,
          typeof signature === "string" ? signature : undefined,
          secrets.blandSecret,
        )
      ) {
        throw new Unauthorized("Invalid or missing X-Webhook-Signature.");
      }
      const call = request.body as BlandCallObject;
      if (!call || typeof call !== "object")
        throw new BadRequest("The webhook body must be a Bland call object.");
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

  const convosoAuth = requireConvosoToken(secrets.convosoToken);
  app.post(
    "/v1/webhooks/convoso/lead",
    {
      preHandler: convosoAuth,
      schema: { tags: ["webhooks"], summary: "A new lead from Convoso (its own field names)" },
    },
    async (request, reply) => {
      const { lead, created } = await intakeLead(
        ctx,
        leadInputSchema.parse(convosoLeadBody.parse(request.body)),
      );
      return reply.status(created ? 201 : 200).send({
        id: lead.id,
        phone: lead.phone,
        status: lead.status,
        timezones: lead.timezones,
        next_attempt_at: lead.nextAttemptAt?.toISOString() ?? null,
      });
    },
  );

  app.post(
    "/v1/webhooks/convoso/status",
    {
      preHandler: convosoAuth,
      schema: {
        tags: ["webhooks"],
        summary: "A lead's status changed in Convoso: SALE or a DNC status stops dialing",
      },
    },
    async (request) => {
      const body = convosoStatusBody.parse(request.body);
      const stored = await storeWebhookEvent(ctx.db, { source: "convoso", callId: null, body });
      const result = await applyConvosoStatus(ctx, {
        phone: body.phone_number,
        convosoLeadId: body.lead_id,
        status: body.status,
      });
      await markWebhookEvent(
        ctx.db,
        stored,
        result.result === "lead_not_found"
          ? "unknown_call"
          : result.result === "ignored"
            ? "ignored"
            : "processed",
      );
      return { received: true, result: result.result, lead_id: result.leadId };
    },
  );
}
