import { listFailedWebhookEvents, listIncidents, listRecentCalls } from "@redial/db";
import { QUEUES } from "@redial/jobs";
import {
  fleetStatus,
  listConvosoDeadLetters,
  pauseFleet,
  type RedialContext,
  resumeFleet,
  retryConvosoDeadLetters,
} from "@redial/services";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { actorOf } from "../auth.ts";
import { callView } from "../operator-views.ts";
import { page } from "./render.ts";

/** Calls (recent attempts) and Health (workers, queues, dead letters, failed webhooks, alerts). */
export function healthPages(app: FastifyInstance, ctx: RedialContext): void {
  app.get("/dashboard/calls", async (request, reply) => {
    const open = (request.query as { open?: string }).open === "true";
    const calls = await listRecentCalls(ctx.db, { limit: 200, openOnly: open });
    return page(request, reply, "calls", "Calls", { calls: calls.map(callView), open });
  });

  app.get("/dashboard/health", async (request, reply) => {
    const [fleet, queues, deadLetters, webhooks, incidents] = await Promise.all([
      fleetStatus(ctx),
      ctx.boss.getQueues(Object.values(QUEUES).map((q) => q.name)),
      listConvosoDeadLetters(ctx, 200),
      listFailedWebhookEvents(ctx.db, 50),
      listIncidents(ctx.db, 50),
    ]);
    return page(request, reply, "health", "Health", { fleet, queues, deadLetters, webhooks, incidents });
  });

  app.post(
    "/dashboard/health/dead-letters/retry",
    { preValidation: app.csrfProtection },
    async (request, reply) => {
      const { ids } = z
        .object({
          ids: z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v])),
        })
        .parse(request.body);
      await retryConvosoDeadLetters(ctx, ids, actorOf(request));
      return reply.redirect("/dashboard/health");
    },
  );

  app.post("/dashboard/fleet/pause", { preValidation: app.csrfProtection }, async (request, reply) => {
    const { note } = z.object({ note: z.string().trim().max(500).optional() }).parse(request.body ?? {});
    await pauseFleet(ctx, actorOf(request), note || null);
    return reply.redirect("/dashboard/health");
  });
  app.post("/dashboard/fleet/resume", { preValidation: app.csrfProtection }, async (request, reply) => {
    await resumeFleet(ctx, actorOf(request));
    return reply.redirect("/dashboard/health");
  });
}
