import { listAudit, listDnc, listRecentCalls, searchLeads } from "@redial/db";
import { campaignDay, LEAD_STATUSES, type LeadStatus, OUTCOMES, type Outcome } from "@redial/domain";
import { type RedialContext, removeDnc, requirePhone } from "@redial/services";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { actorOf } from "../auth.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import { leadViews } from "../lead-view.ts";
import { auditView, callView, dncView } from "../operator-views.ts";

const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const leadListQuery = z.object({
  status: z.enum(LEAD_STATUSES as [LeadStatus, ...LeadStatus[]]).optional(),
  state: z
    .string()
    .regex(/^[A-Za-z]{2}$/, "a two-letter state")
    .transform((s) => s.toUpperCase())
    .optional(),
  outcome: z.enum(OUTCOMES as [Outcome, ...Outcome[]]).optional(),
  waiting: z
    .string()
    .regex(/^[a-z_ ]{1,40}$/, "a waiting reason's kind, e.g. outside_window or daily_max_reached")
    .optional(),
  phone: z.string().min(1).max(40).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  cursor: z.string().max(200).optional(),
  limit: limit(200, 50),
});

const idCursor = z.object({ id: z.number().int().positive() });
const callCursor = z.object({ at: z.string().datetime(), id: z.number().int().positive() });
const dncCursor = z.object({ at: z.string().datetime(), phone: z.string() });

const callListQuery = z.object({
  outcome: z.enum(OUTCOMES as [Outcome, ...Outcome[]]).optional(),
  open: z.enum(["true", "false"]).optional(),
  lead_id: z.coerce.number().int().positive().optional(),
  cursor: z.string().max(200).optional(),
  limit: limit(500, 100),
});

const dncListQuery = z.object({
  phone: z.string().min(1).max(40).optional(),
  cursor: z.string().max(200).optional(),
  limit: limit(500, 100),
});

const dncDeleteBody = z.object({
  reason: z.string().trim().min(1, "say why the number may be called again").max(500),
  reopen_lead: z.boolean().default(false),
});

class NotOnDncList extends Error {
  readonly code = "not_on_dnc_list";
  readonly statusCode = 404;
  constructor(phone: string) {
    super(`${phone} is not on the DNC list; GET /v1/dnc?phone=… lists what is.`);
    this.name = "NotOnDncList";
  }
}

/** The operator's lists behind the console: leads, calls, the DNC list, and the audit log. */
export function operatorRoutes(app: FastifyInstance, ctx: RedialContext): void {
  app.get(
    "/v1/leads",
    {
      schema: {
        tags: ["leads"],
        summary: "Search leads, newest first (cursor pages; phone in any US format; q = name or Convoso id)",
        querystring: z.toJSONSchema(leadListQuery, { io: "input" }),
      },
    },
    async (request) => {
      const query = leadListQuery.parse(request.query);
      const leads = await searchLeads(ctx.db, {
        ...(query.status ? { status: query.status } : {}),
        ...(query.state ? { state: query.state } : {}),
        ...(query.outcome ? { outcome: query.outcome } : {}),
        ...(query.waiting ? { waiting: query.waiting } : {}),
        ...(query.phone ? { phone: requirePhone(query.phone) } : {}),
        ...(query.q ? { q: query.q } : {}),
        ...(query.cursor ? { beforeId: decodeCursor(query.cursor, idCursor)?.id } : {}),
        limit: query.limit,
      });
      const day = campaignDay(ctx.now(), await ctx.calendar.get());
      const last = leads.at(-1);
      return {
        leads: await leadViews(ctx.db, leads, day),
        next_cursor: last && leads.length === query.limit ? encodeCursor({ id: last.id }) : null,
      };
    },
  );

  app.get(
    "/v1/calls",
    {
      schema: {
        tags: ["calls"],
        summary: "Recent call attempts, latest dial first (outcome, reason, duration, cost)",
        querystring: z.toJSONSchema(callListQuery, { io: "input" }),
      },
    },
    async (request) => {
      const query = callListQuery.parse(request.query);
      const before = decodeCursor(query.cursor, callCursor);
      const calls = await listRecentCalls(ctx.db, {
        limit: query.limit,
        ...(before ? { before: { dialedAt: new Date(before.at), id: before.id } } : {}),
        ...(query.outcome ? { outcome: query.outcome } : {}),
        ...(query.lead_id ? { leadId: query.lead_id } : {}),
        openOnly: query.open === "true",
      });
      const last = calls.at(-1);
      return {
        calls: calls.map(callView),
        next_cursor:
          last && calls.length === query.limit
            ? encodeCursor({ at: last.dialedAt.toISOString(), id: last.id })
            : null,
      };
    },
  );

  app.get(
    "/v1/dnc",
    {
      schema: {
        tags: ["dnc"],
        summary: "Our DNC list, newest first (?phone= in any US format finds one)",
        querystring: z.toJSONSchema(dncListQuery, { io: "input" }),
      },
    },
    async (request) => {
      const query = dncListQuery.parse(request.query);
      const before = decodeCursor(query.cursor, dncCursor);
      const entries = await listDnc(ctx.db, {
        limit: query.limit,
        ...(before ? { before: { createdAt: new Date(before.at), phone: before.phone } } : {}),
        ...(query.phone ? { phone: requirePhone(query.phone) } : {}),
      });
      const last = entries.at(-1);
      return {
        entries: entries.map(dncView),
        next_cursor:
          last && entries.length === query.limit
            ? encodeCursor({ at: last.createdAt.toISOString(), phone: last.phone })
            : null,
      };
    },
  );

  app.delete(
    "/v1/dnc/:phone",
    {
      schema: {
        tags: ["dnc"],
        summary:
          "Take a phone off our DNC list (reason required, audited); reopen_lead: its DNC-completed lead is redialed",
        body: z.toJSONSchema(dncDeleteBody, { io: "input" }),
      },
    },
    async (request) => {
      const { phone } = z.object({ phone: z.string().min(1).max(40) }).parse(request.params);
      const body = dncDeleteBody.parse(request.body ?? {});
      const result = await removeDnc(ctx, phone, {
        reason: body.reason,
        reopen: body.reopen_lead,
        by: actorOf(request),
      });
      if (!result.removed) throw new NotOnDncList(result.phone);
      const day = campaignDay(ctx.now(), await ctx.calendar.get());
      return {
        phone: result.phone,
        removed: dncView(result.removed),
        reopened: result.reopened,
        lead: result.lead ? (await leadViews(ctx.db, [result.lead], day))[0] : null,
      };
    },
  );

  app.get(
    "/v1/admin/audit",
    {
      schema: {
        tags: ["admin"],
        summary: "Changes made by hand, newest first: who (API key name), what, when",
        querystring: {
          type: "object",
          properties: { lead_id: { type: "integer" }, cursor: { type: "string" } },
        },
      },
    },
    async (request) => {
      const query = z
        .object({
          lead_id: z.coerce.number().int().positive().optional(),
          cursor: z.string().max(200).optional(),
          limit: limit(500, 100),
        })
        .parse(request.query);
      const before = decodeCursor(query.cursor, idCursor);
      const records = await listAudit(ctx.db, {
        limit: query.limit,
        ...(query.lead_id ? { leadId: query.lead_id } : {}),
        ...(before ? { beforeId: before.id } : {}),
      });
      const last = records.at(-1);
      return {
        entries: records.map(auditView),
        next_cursor: last && records.length === query.limit ? encodeCursor({ id: last.id }) : null,
      };
    },
  );
}
