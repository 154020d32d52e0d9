import {
  breakdownReport,
  capacityInput,
  capacityReport,
  formatReport,
  type Report,
  rangeReport,
  totalsReport,
} from "@redial/reports";
import {
  checkedReportPeriod,
  type DialLimitsConfig,
  dialLimitsOf,
  type RedialContext,
  reportDay,
  withReportTimeout,
} from "@redial/services";
import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";

const reportQuery = z.object({
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

export interface ReportLimits {
  /** The longest period one request covers (REPORT_MAX_DAYS). */
  maxDays: number;
  /** statement_timeout of the report's queries (REPORT_STATEMENT_TIMEOUT_MS). */
  statementTimeoutMs: number;
}

/** GET /v1/reports/{breakdown,range,totals,capacity}: the same numbers as `pnpm redial report …`. */
export function reportRoutes(
  app: FastifyInstance,
  ctx: RedialContext,
  dialLimits: DialLimitsConfig,
  limits: ReportLimits,
): void {
  const send = (reply: FastifyReply, report: Report, format: "json" | "csv") =>
    format === "csv"
      ? reply.type("text/csv; charset=utf-8").send(formatReport(report, "csv"))
      : reply.send(report);
  const run = <T>(report: (db: RedialContext["db"]) => Promise<T>) =>
    withReportTimeout(ctx.db, limits.statementTimeoutMs, report);
  const route = (summary: string) => ({ schema: { tags: ["reports"], summary, querystring } });

  app.get(
    "/v1/reports/breakdown",
    route(`Leads created in a period (at most ${limits.maxDays} days), by where they stand`),
    async (request, reply) => {
      const query = reportQuery.parse(request.query);
      const period = await checkedReportPeriod(ctx, query, limits.maxDays);
      return send(reply, await run((db) => breakdownReport(db, period)), query.format);
    },
  );
  app.get(
    "/v1/reports/range",
    route(`Calls, redials, outcomes, rates and cost per campaign day (at most ${limits.maxDays} days)`),
    async (request, reply) => {
      const query = reportQuery.parse(request.query);
      const period = await checkedReportPeriod(ctx, query, limits.maxDays);
      return send(reply, await run((db) => rangeReport(db, period)), query.format);
    },
  );
  app.get("/v1/reports/totals", route("Lifetime snapshot of the queue"), async (request, reply) => {
    const query = reportQuery.parse(request.query);
    const period = await checkedReportPeriod(ctx, {}, limits.maxDays);
    const totals = await run((db) => totalsReport(db, { timezone: period.timezone, today: period.today }));
    return send(reply, totals, query.format);
  });
  app.get(
    "/v1/reports/capacity",
    route("Expected daily calls against what the window and the dial limits allow"),
    async (request, reply) => {
      const query = reportQuery.parse(request.query);
      const input = await capacityInput(ctx, dialLimitsOf(dialLimits));
      return send(reply, await run((db) => capacityReport(db, input)), query.format);
    },
  );
}
