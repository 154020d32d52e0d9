import { getLead, listAttempts, listAudit } from "@redial/db";
import { campaignDay } from "@redial/domain";
import {
  addDnc,
  intakeLead,
  intakeLeadsBulk,
  leadInputSchema,
  pauseLead,
  type RedialContext,
  resumeLead,
  stopLead,
} from "@redial/services";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { actorOf } from "../auth.ts";
import { BadRequest } from "../errors.ts";
import { attemptView, leadViews } from "../lead-view.ts";
import { auditView } from "../operator-views.ts";

const idParams = z.object({ id: z.coerce.number().int().positive() });
const stopBody = z.object({ outcome: z.enum(["SALE", "DNC"]), reason: z.string().max(500).optional() });
const dncBody = z.object({ phone: z.string().min(1), reason: z.string().max(500).default("requested") });
const MAX_BULK = 10_000;

export function leadRoutes(app: FastifyInstance, ctx: RedialContext): void {
  const today = async () => campaignDay(ctx.now(), await ctx.calendar.get());
  const show = async (id: number) => (await leadViews(ctx.db, [await getLead(ctx.db, id)], await today()))[0];

  app.post(
    "/v1/leads",
    {
      schema: {
        tags: ["leads"],
        summary: "Add one lead (idempotent by phone)",
        body: z.toJSONSchema(leadInputSchema, { io: "input" }),
      },
    },
    async (request, reply) => {
      const { lead, created } = await intakeLead(ctx, leadInputSchema.parse(request.body));
      const [view] = await leadViews(ctx.db, [lead], await today());
      return reply.status(created ? 201 : 200).send(view);
    },
  );

  app.post(
    "/v1/leads/bulk",
    { schema: { tags: ["leads"], summary: `Add up to ${MAX_BULK} leads; one transaction per chunk` } },
    async (request) => {
      const body = request.body as { leads?: unknown } | unknown[];
      const rows = Array.isArray(body) ? body : body?.leads;
      if (!Array.isArray(rows)) throw new BadRequest('Send a JSON array of leads, or {"leads": [...]}.');
      if (rows.length > MAX_BULK)
        throw new BadRequest(`At most ${MAX_BULK} leads per request (got ${rows.length}); split the file.`);
      const results = await intakeLeadsBulk(ctx, rows);
      const day = await today();
      const leads = results.flatMap((r) => (r.status === "rejected" ? [] : [r.lead]));
      const views = new Map((await leadViews(ctx.db, leads, day)).map((view) => [view.id, view]));
      return {
        created: results.filter((r) => r.status === "created").length,
        existing: results.filter((r) => r.status === "existing").length,
        rejected: results.filter((r) => r.status === "rejected").length,
        results: results.map((r) =>
          r.status === "rejected"
            ? { index: r.index, status: r.status, error: r.error }
            : { index: r.index, status: r.status, lead: views.get(r.lead.id) },
        ),
      };
    },
  );

  app.get(
    "/v1/leads/:id",
    { schema: { tags: ["leads"], summary: "A lead, its attempts and why it waits" } },
    async (request) => {
      const { id } = idParams.parse(request.params);
      const view = await show(id);
      const [attempts, changes] = await Promise.all([
        listAttempts(ctx.db, id),
        listAudit(ctx.db, { leadId: id, limit: 100 }),
      ]);
      return { ...view, attempts: attempts.map(attemptView), changes_by_hand: changes.map(auditView) };
    },
  );

  app.post(
    "/v1/leads/:id/stop",
    { schema: { tags: ["leads"], summary: "Complete a lead by hand (SALE or DNC)" } },
    async (request) => {
      const { id } = idParams.parse(request.params);
      const body = stopBody.parse(request.body ?? {});
      await stopLead(ctx, id, body.outcome, body.reason, actorOf(request));
      return show(id);
    },
  );

  app.post(
    "/v1/leads/:id/pause",
    { schema: { tags: ["leads"], summary: "Stop dialing a lead until resumed" } },
    async (request) => {
      const { id } = idParams.parse(request.params);
      await pauseLead(ctx, id, actorOf(request));
      return show(id);
    },
  );

  app.post(
    "/v1/leads/:id/resume",
    { schema: { tags: ["leads"], summary: "Resume a paused lead" } },
    async (request) => {
      const { id } = idParams.parse(request.params);
      await resumeLead(ctx, id, actorOf(request));
      return show(id);
    },
  );

  app.post(
    "/v1/dnc",
    { schema: { tags: ["leads"], summary: "Put a phone on the DNC list and complete its lead" } },
    async (request) => {
      const body = dncBody.parse(request.body ?? {});
      const result = await addDnc(ctx, body.phone, body.reason, actorOf(request));
      const lead = result.lead ? (await leadViews(ctx.db, [result.lead], await today()))[0] : null;
      return { phone: result.phone, added: result.added, lead };
    },
  );
}
