import { listDailyReports } from "@redial/db";
import { breakdownReport, formatReport, rangeReport, reportPeriod } from "@redial/reports";
import { type RedialContext, updateCalendar } from "@redial/services";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { actorOf } from "../auth.ts";
import { page } from "./render.ts";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a campaign day YYYY-MM-DD");
const periodQuery = z.object({ from: day.optional().catch(undefined), to: day.optional().catch(undefined) });

/** Reports (range charts, the breakdown, CSV downloads, past daily reports) and Config. */
export function reportPages(
  app: FastifyInstance,
  ctx: RedialContext,
  onCalendarChange: () => Promise<void> | void,
): void {
  app.get("/dashboard/reports", async (request, reply) => {
    const query = periodQuery.parse(emptyAsUnset(request.query));
    const period = await reportPeriod(ctx, query);
    const [range, breakdown, daily] = await Promise.all([
      rangeReport(ctx.db, period),
      breakdownReport(ctx.db, period),
      listDailyReports(ctx.db, 30),
    ]);
    const chart = {
      labels: range.days.map((d) => d.day),
      calls: range.days.map((d) => d.calls_placed),
      answered: range.days.map((d) => d.answered),
      transfers: range.days.map((d) => d.transfers),
      soldLeads: range.days.map((d) => d.sold_leads),
      cost: range.days.map((d) => d.cost),
    };
    return page(request, reply, "reports", "Reports", { period, range, breakdown, daily, chart });
  });

  // The same CSV as GET /v1/reports/{name}?format=csv, for a browser logged in with its session.
  app.get("/dashboard/reports/:name.csv", async (request, reply) => {
    const { name } = z.object({ name: z.enum(["range", "breakdown"]) }).parse(request.params);
    const period = await reportPeriod(ctx, periodQuery.parse(emptyAsUnset(request.query)));
    const report =
      name === "range" ? await rangeReport(ctx.db, period) : await breakdownReport(ctx.db, period);
    return reply
      .type("text/csv; charset=utf-8")
      .header("content-disposition", `attachment; filename="redial-${name}-${period.from}-${period.to}.csv"`)
      .send(formatReport(report, "csv"));
  });

  app.get("/dashboard/config", async (request, reply) =>
    page(request, reply, "config", "Config", {
      text: JSON.stringify(await ctx.calendar.get(), null, 2),
      error: null,
      saved: false,
    }),
  );

  app.post("/dashboard/config", { preValidation: app.csrfProtection }, async (request, reply) => {
    const { config } = z.object({ config: z.string().max(200_000) }).parse(request.body);
    try {
      await updateCalendar(ctx.db, JSON.parse(config), actorOf(request));
      await onCalendarChange();
      return page(request, reply, "config", "Config", {
        text: JSON.stringify(await ctx.calendar.get(), null, 2),
        error: null,
        saved: true,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return page(request, reply.status(400), "config", "Config", {
        text: config,
        error: message,
        saved: false,
      });
    }
  });
}

function emptyAsUnset(query: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries((query ?? {}) as Record<string, string>).filter(([, v]) => v !== ""),
  );
}
