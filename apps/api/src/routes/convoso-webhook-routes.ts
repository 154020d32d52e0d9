import { markWebhookEvent, storeWebhookEvent } from "@redial/db";
import { normalizePhone } from "@redial/domain";
import {
  applyConvosoStatus,
  type ConvosoConsentMapping,
  InvalidField,
  InvalidPhone,
  intakeLead,
  type LeadFieldNames,
  type ParsedLead,
  parseIdentifier,
  parseLeadInput,
  type RedialContext,
  readConvosoConsent,
} from "@redial/services";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { type FailedAuthGuard, requireConvosoToken } from "../auth.ts";
import { BODY_LIMITS } from "../edge-limits.ts";

export interface ConvosoWebhookOptions {
  token: string | undefined;
  /** CONVOSO_CONSENT_FIELDS: where a lead push carries its consent (null: nowhere). */
  consentFields: ConvosoConsentMapping | null;
  guard: FailedAuthGuard;
  rateLimit: { max: number; timeWindow: number } | false;
}

/** Convoso's names for the lead fields that differ from ours (messages name the field as sent). */
const CONVOSO_NAMES: LeadFieldNames = {
  phone: "phone_number",
  zip: "postal_code",
  convoso_lead_id: "lead_id",
};

/**
 * A lead in Convoso's own field names, read by the same parseLeadInput as POST /v1/leads. Its ids
 * are strict: `lead_id: null` or `{}` is refused (400 naming `lead_id`), never stored as text.
 */
export function parseConvosoLead(body: unknown): ParsedLead {
  const c = objectBody(body);
  return parseLeadInput(
    {
      phone: c.phone_number,
      convoso_lead_id: c.lead_id,
      list_id: c.list_id,
      zip: c.postal_code,
      state: c.state,
      first_name: c.first_name,
      last_name: c.last_name,
      email: c.email,
      source: "convoso",
    },
    { names: CONVOSO_NAMES, nullIdentifiers: "refuse" },
  );
}

interface ConvosoStatusEvent {
  status: string;
  phone_number?: string;
  lead_id?: string;
  list_id?: string;
}

/** A status change: the status code, and the lead by phone_number and/or lead_id (+ list_id). */
export function parseConvosoStatus(body: unknown): ConvosoStatusEvent {
  const c = objectBody(body);
  const status = typeof c.status === "number" ? String(c.status) : c.status;
  if (typeof status !== "string" || !/^[A-Za-z0-9_ -]{1,64}$/.test(status.trim()))
    throw new InvalidField("status", "the Convoso status code (letters, digits, at most 64), e.g. SALE.");
  const phone = parsePhoneField(c.phone_number);
  const event: ConvosoStatusEvent = {
    status: status.trim(),
    phone_number: phone,
    lead_id: parseIdentifier(c.lead_id, "lead_id", "refuse"),
    list_id: parseIdentifier(c.list_id, "list_id", "refuse"),
  };
  if (!event.phone_number && !event.lead_id)
    throw new InvalidField("phone_number", "send phone_number or lead_id: which lead changed?");
  return Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined)) as ConvosoStatusEvent;
}

function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw new InvalidField("body", "send the Convoso fields as a JSON object or as form fields.");
  return body as Record<string, unknown>;
}

/** A phone as Convoso sends it: digits as text or a number; null or an object is refused. */
function parsePhoneField(value: unknown): string | undefined {
  if (value === undefined || value === "") return undefined;
  const text = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== "string" || text.length > 40)
    throw new InvalidField("phone_number", "a US phone number as text or digits, e.g. 4155550199.");
  if (!normalizePhone(text)) throw new InvalidPhone(text);
  return text.trim();
}

export function convosoWebhookRoutes(
  app: FastifyInstance,
  ctx: RedialContext,
  options: ConvosoWebhookOptions,
): void {
  const routeOptions = {
    bodyLimit: BODY_LIMITS.convosoWebhook,
    onRequest: requireConvosoToken(options.token, options.guard),
    config: { bodyText: "parsed" as const, rateLimit: options.rateLimit },
  };
  const security = [{ convosoToken: [] }];

  app.post(
    "/v1/webhooks/convoso/lead",
    {
      ...routeOptions,
      schema: {
        tags: ["webhooks"],
        summary: "A new lead from Convoso (its own field names)",
        security,
        body: CONVOSO_LEAD_SCHEMA,
      },
    },
    async (request, reply) => {
      const { input, warnings } = parseConvosoLead(request.body);
      const zone = (await ctx.calendar.get()).timezone;
      const { consent, warning } = readConvosoConsent(request.body, options.consentFields, ctx.now(), zone);
      const {
        lead,
        created,
        warnings: all,
      } = await intakeLead(
        ctx,
        consent ? { ...input, consent } : input,
        warning ? [...warnings, warning] : warnings,
        "convoso lead webhook",
      );
      return reply.status(created ? 201 : 200).send({
        id: lead.id,
        phone: lead.phone,
        status: lead.status,
        timezones: lead.timezones,
        next_attempt_at: lead.nextAttemptAt?.toISOString() ?? null,
        warnings: all,
      });
    },
  );

  app.post(
    "/v1/webhooks/convoso/status",
    {
      ...routeOptions,
      schema: {
        tags: ["webhooks"],
        summary: "A lead's status changed in Convoso: SALE or a DNC status stops dialing",
        security,
        body: CONVOSO_STATUS_SCHEMA,
      },
    },
    async (request) => receiveConvosoStatus(ctx, request),
  );
}

/**
 * A refused body writes nothing; a stored event always ends marked with its result: processed,
 * ignored, unknown_call (no such lead), or error with the reason (an ambiguous id, a failure).
 */
async function receiveConvosoStatus(ctx: RedialContext, request: FastifyRequest) {
  const event = parseConvosoStatus(request.body);
  const stored = await storeWebhookEvent(ctx.db, { source: "convoso", callId: null, body: event });
  try {
    const result = await applyConvosoStatus(ctx, {
      phone: event.phone_number,
      convosoLeadId: event.lead_id,
      listId: event.list_id,
      status: event.status,
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
    return { received: true, result: result.result, lead_id: result.leadId, reason: result.reason ?? null };
  } catch (error) {
    const reason =
      error instanceof Error
        ? `${(error as { code?: string }).code ?? error.name}: ${error.message}`
        : String(error);
    await markWebhookEvent(ctx.db, stored, "error", reason).catch((markError: unknown) =>
      request.log.error({ err: markError, eventId: stored }, "could not mark a Convoso status event"),
    );
    throw error;
  }
}

const identifier = { anyOf: [{ type: "string", maxLength: 64 }, { type: "integer" }] };

const CONVOSO_LEAD_SCHEMA = {
  type: "object",
  required: ["phone_number"],
  properties: {
    phone_number: { anyOf: [{ type: "string", maxLength: 40 }, { type: "integer" }] },
    lead_id: identifier,
    list_id: identifier,
    postal_code: { anyOf: [{ type: "string" }, { type: "integer" }] },
    state: { type: "string" },
    first_name: { type: "string" },
    last_name: { type: "string" },
    email: { type: "string" },
  },
};

const CONVOSO_STATUS_SCHEMA = {
  type: "object",
  required: ["status"],
  properties: {
    status: { type: "string", maxLength: 64 },
    phone_number: { anyOf: [{ type: "string", maxLength: 40 }, { type: "integer" }] },
    lead_id: identifier,
    list_id: identifier,
  },
};
