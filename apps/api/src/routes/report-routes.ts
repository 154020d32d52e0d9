import {
  breakdownReport,
  capacityInput,
  capacityReport,
  formatReport,
  type Report,
  rangeReport,
  reportPeriod,
  totalsReport,
} from "@redial/reports";
import { type DialLimitsConfig, dialLimitsOf, type RedialContext } from "@redial/services";
import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a campaign day YYYY-MM-DD");
const reportQuery = z.object({
  from: day.optional(),
  to: day.optional(),
  format: z.enum(["json", "csv"]).default("json"),
});

/** GET /v1/reports/{breakdown,range,totals,capacity}: the same numbers as `pnpm redial report …`. */
export function reportRoutes(app: FastifyInstance, ctx: RedialContext, limits: DialLimitsConfig): void {
  const send = (reply: FastifyReply, report: Report, format: "json" | "csv") =>
    format === "csv"
      ? reply.type("text/csv; charset=utf-8").send(formatReport(report, "csv"))
      : reply.send(report);

  app.get(
    "/v1/reports/breakdown",
    { schema: { tags: ["reports"], summary: "Leads created in a period, by where they stand" } },
    async (request, reply) => {
      const query = reportQuery.parse(request.query);
      return send(reply, await breakdownReport(ctx.db, await reportPeriod(ctx, query)), query.format);
    },
  );
  app.get(
    "/v1/reports/range",
    { schema: { tags: ["reports"], summary: "Calls, redials, outcomes, rates and cost per campaign day" } },
    async (request, reply) => {
      const query = reportQuery.parse(request.query);
      return send(reply, await rangeReport(ctx.db, await reportPeriod(ctx, query)), query.format);
    },
  );
  app.get(
    "/v1/reports/totals",
    { schema: { tags: ["reports"], summary: "Lifetime snapshot of the queue" } },
    async (request, reply) => {
      const query = reportQuery.parse(request.query);
      const period = await reportPeriod(ctx, {});
      return send(
        reply,
        await totalsReport(ctx.db, { timezone: period.timezone, today: period.today }),
        query.format,
      );
    },
  );
  app.get(
    "/v1/reports/capacity",
    {
      schema: {
        tags: ["reports"],
        summary: "Expected daily calls against what the window and the dial limits allow",
      },
    },
    async (request, reply) => {
      const query = reportQuery.parse(request.query);
      return send(
        reply,
        await capacityReport(ctx.db, await capacityInput(ctx, dialLimitsOf(limits))),
        query.format,
      );
    },
  );
}
