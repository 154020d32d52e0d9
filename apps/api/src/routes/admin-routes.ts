import { countWebhookEvents } from "@redial/db";
import { schedulerConfigSchema } from "@redial/domain";
import { statisticsToday } from "@redial/reports";
import { type RedialContext, updateCalendar } from "@redial/services";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { actorOf } from "../auth.ts";
import { BODY_LIMITS } from "../edge-limits.ts";

export function adminRoutes(
  app: FastifyInstance,
  ctx: RedialContext,
  onCalendarChange: () => Promise<void> | void,
): void {
  app.get(
    "/v1/admin/scheduler-config",
    { schema: { tags: ["admin"], summary: "The campaign calendar in force" } },
    async () => ctx.calendar.get(),
  );

  app.put(
    "/v1/admin/scheduler-config",
    {
      bodyLimit: BODY_LIMITS.calendar,
      schema: {
        tags: ["admin"],
        summary: "Replace the campaign calendar (validated; workers see it within 10 s)",
        body: z.toJSONSchema(schedulerConfigSchema, { io: "input", unrepresentable: "any" }),
      },
    },
    async (request) => {
      const config = await updateCalendar(ctx.db, request.body, actorOf(request));
      await onCalendarChange();
      return config;
    },
  );

  app.get(
    "/api/admin/statistics/today",
    { schema: { tags: ["admin"], summary: "Today's totals (campaign day)" } },
    async () => statisticsToday(ctx),
  );

  app.get(
    "/v1/admin/webhook-events",
    { schema: { tags: ["admin"], summary: "Webhook events by result (unknown call ids included)" } },
    async () => countWebhookEvents(ctx.db),
  );
}

export function healthRoutes(app: FastifyInstance, ctx: RedialContext): void {
  app.get("/healthz", { schema: { tags: ["health"], summary: "The process is up" } }, async () => ({
    status: "ok",
  }));
  app.get(
    "/readyz",
    { schema: { tags: ["health"], summary: "Database and queue reachable" } },
    async (_request, reply) => {
      const checks = await Promise.allSettled([
        ctx.db.selectFrom("leads").select("id").limit(1).execute(),
        ctx.boss.getQueue("dial"),
      ]);
      const [database, queue] = checks.map((c) =>
        c.status === "fulfilled" ? "ok" : `down: ${String((c as PromiseRejectedResult).reason)}`,
      );
      const ok = database === "ok" && queue === "ok";
      return reply.status(ok ? 200 : 503).send({ status: ok ? "ok" : "unavailable", database, queue });
    },
  );
}
