import { getLead, listAttempts, listAudit } from "@redial/db";
import { campaignDay } from "@redial/domain";
import {
  addDnc,
  type BulkRowResult,
  intakeLead,
  intakeLeadsBulk,
  leadInputJsonSchema,
  parseLeadInput,
  pauseLead,
  type RedialContext,
  resumeLead,
  stopLead,
} from "@redial/services";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { actorOf } from "../auth.ts";
import { BODY_LIMITS } from "../edge-limits.ts";
import { BadRequest } from "../errors.ts";
import { attemptView, leadViews } from "../lead-view.ts";
import { auditView } from "../operator-views.ts";

/** A lead id: decimal digits only (`0x10`, `1e3`, ` 16` are not lead 16), within bigint. */
export const idParams = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, "a lead id is a positive whole number in decimal digits")
    .transform(Number)
    .refine(Number.isSafeInteger, "too large for a lead id"),
});
const stopBody = z.object({ outcome: z.enum(["SALE", "DNC"]), reason: z.string().max(500).optional() });
const dncBody = z.object({
  phone: z.union([z.string().min(1).max(40), z.number().int().positive().transform(String)]),
  reason: z.string().max(500).default("requested"),
});
const MAX_BULK = 10_000;

export const idParamsSchema = z.toJSONSchema(z.object({ id: z.string() }));
const bulkBodySchema = {
  anyOf: [
    { type: "array", items: leadInputJsonSchema, maxItems: MAX_BULK },
    {
      type: "object",
      required: ["leads"],
      properties: { leads: { type: "array", items: leadInputJsonSchema, maxItems: MAX_BULK } },
    },
  ],
};

export function leadRoutes(app: FastifyInstance, ctx: RedialContext): void {
  const today = async () => campaignDay(ctx.now(), await ctx.calendar.get());
  const show = async (id: number) => (await leadViews(ctx.db, [await getLead(ctx.db, id)], await today()))[0];
  const byId = (summary: string, body?: object) => ({
    schema: { tags: ["leads"], summary, params: idParamsSchema, ...(body ? { body } : {}) },
  });

  app.post(
    "/v1/leads",
    {
      schema: {
        tags: ["leads"],
        summary: "Add one lead (idempotent by phone); optional fields not stored come back as warnings",
        body: leadInputJsonSchema,
      },
    },
    async (request, reply) => {
      const { input, warnings } = parseLeadInput(request.body, { now: ctx.now() });
      const via = `POST /v1/leads (${actorOf(request).name})`;
      const { lead, created, warnings: all } = await intakeLead(ctx, input, warnings, via);
      const [view] = await leadViews(ctx.db, [lead], await today());
      return reply.status(created ? 201 : 200).send({ ...view, warnings: all });
    },
  );

  app.post(
    "/v1/leads/bulk",
    {
      bodyLimit: BODY_LIMITS.bulk,
      // Each row is read on its own: a bad row is answered, the others admitted.
      config: { bodyText: "parsed" },
      schema: {
        tags: ["leads"],
        summary: `Add up to ${MAX_BULK} leads; one transaction per chunk, an answer per row`,
        body: bulkBodySchema,
      },
    },
    async (request) => {
      const body = request.body as { leads?: unknown } | unknown[] | undefined;
      const rows = Array.isArray(body) ? body : body?.leads;
      if (!Array.isArray(rows)) throw new BadRequest('Send a JSON array of leads, or {"leads": [...]}.');
      if (rows.length > MAX_BULK)
        throw new BadRequest(`At most ${MAX_BULK} leads per request (got ${rows.length}); split the file.`);
      const via = `POST /v1/leads/bulk (${actorOf(request).name})`;
      return bulkAnswer(await intakeLeadsBulk(ctx, rows, { via }));
    },
  );

  async function bulkAnswer(results: BulkRowResult[]) {
    const admitted = results.flatMap((r) => ("lead" in r ? [r] : []));
    const views = new Map(
      (
        await leadViews(
          ctx.db,
          admitted.map((r) => r.lead),
          await today(),
        )
      ).map((view) => [view.id, view]),
    );
    const count = (status: BulkRowResult["status"]) => results.filter((r) => r.status === status).length;
    return {
      created: count("created"),
      existing: count("existing"),
      rejected: count("rejected"),
      not_written: count("not_written"),
      results: results.map((r) =>
        "lead" in r
          ? { index: r.index, status: r.status, lead: views.get(r.lead.id), warnings: r.warnings }
          : { index: r.index, status: r.status, error: r.error },
      ),
    };
  }

  app.get("/v1/leads/:id", byId("A lead, its attempts and why it waits"), async (request) => {
    const { id } = idParams.parse(request.params);
    const view = await show(id);
    const [attempts, changes] = await Promise.all([
      listAttempts(ctx.db, id),
      listAudit(ctx.db, { leadId: id, limit: 100 }),
    ]);
    return { ...view, attempts: attempts.map(attemptView), changes_by_hand: changes.map(auditView) };
  });

  app.post(
    "/v1/leads/:id/stop",
    byId("Complete a lead by hand (SALE or DNC)", z.toJSONSchema(stopBody, { io: "input" })),
    async (request) => {
      const { id } = idParams.parse(request.params);
      const body = stopBody.parse(request.body ?? {});
      await stopLead(ctx, id, body.outcome, body.reason, actorOf(request));
      return show(id);
    },
  );

  app.post("/v1/leads/:id/pause", byId("Stop dialing a lead until resumed"), async (request) => {
    const { id } = idParams.parse(request.params);
    await pauseLead(ctx, id, actorOf(request));
    return show(id);
  });

  app.post("/v1/leads/:id/resume", byId("Resume a paused lead"), async (request) => {
    const { id } = idParams.parse(request.params);
    await resumeLead(ctx, id, actorOf(request));
    return show(id);
  });

  app.post(
    "/v1/dnc",
    {
      schema: {
        tags: ["leads"],
        summary: "Put a phone on the DNC list and complete its lead",
        body: z.toJSONSchema(dncBody, { io: "input" }),
      },
    },
    async (request) => {
      const body = dncBody.parse(request.body ?? {});
      const result = await addDnc(ctx, body.phone, body.reason, actorOf(request));
      const lead = result.lead ? (await leadViews(ctx.db, [result.lead], await today()))[0] : null;
      return { phone: result.phone, added: result.added, lead };
    },
  );
}
