import { getLead, LeadNotFound } from "@redial/db";
import { campaignDay } from "@redial/domain";
import {
  CONSENT_JSON_SCHEMA,
  evidenceRecordCsv,
  evidenceRecordOfLead,
  InvalidField,
  parseConsentInput,
  type RedialContext,
  recordLeadConsent,
  reportDay,
} from "@redial/services";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { actorOf } from "../auth.ts";
import { leadViews } from "../lead-view.ts";
import { idParams, idParamsSchema } from "./lead-routes.ts";

const evidenceQuery = z.object({
  from: reportDay.optional(),
  to: reportDay.optional(),
  format: z.enum(["json", "csv"]).default("json"),
});
const querystring = z.toJSONSchema(
  z.object({
    from: z.string().optional(),
    to: z.string().optional(),
    format: z.enum(["json", "csv"]).optional(),
  }),
);

/** A lead's consent (recorded after intake) and the evidence record of a lead. */
export function consentRoutes(app: FastifyInstance, ctx: RedialContext): void {
  app.post(
    "/v1/leads/:id/consent",
    {
      schema: {
        tags: ["leads"],
        summary:
          "Record a consent for a lead (added to its history; a lead waiting for consent is due at once)",
        params: idParamsSchema,
        body: { ...CONSENT_JSON_SCHEMA, type: "object" },
      },
    },
    async (request) => {
      const { id } = idParams.parse(request.params);
      const consent = parseConsentInput(request.body, { now: ctx.now() });
      if (!consent)
        throw new InvalidField("body", 'a consent object such as {"type": "written", "captured_at": "…"}.');
      const by = actorOf(request);
      await recordLeadConsent(ctx, id, consent, `POST /v1/leads/:id/consent (${by.name})`, by);
      const today = campaignDay(ctx.now(), await ctx.calendar.get());
      return (await leadViews(ctx.db, [await getLead(ctx.db, id)], today))[0];
    },
  );

  app.get(
    "/v1/leads/:id/evidence",
    {
      schema: {
        tags: ["leads"],
        summary:
          "The lead's whole record: consent history, every call with its evidence and outcome, opt-outs and how they were honoured (JSON or CSV)",
        params: idParamsSchema,
        querystring,
      },
    },
    async (request, reply) => {
      const { id } = idParams.parse(request.params);
      const query = evidenceQuery.parse(request.query);
      const record = await evidenceRecordOfLead(ctx, id, query);
      if (!record) throw new LeadNotFound(id);
      if (query.format === "json") return record;
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="evidence-lead-${id}.csv"`)
        .send(evidenceRecordCsv(record));
    },
  );
}
