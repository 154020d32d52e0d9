import type { RedialContext } from "@redial/services";
import type { FastifyInstance } from "fastify";
import { queueData, todayData } from "./page-data.ts";
import { page } from "./render.ts";

/** Today (live: its numbers refresh themselves every 5 s) and Queue. */
export function todayRoutes(app: FastifyInstance, ctx: RedialContext, spendLimit: number | null): void {
  app.get("/dashboard", async (request, reply) =>
    page(request, reply, "today", "Today", await todayData(ctx, spendLimit)),
  );
  app.get("/dashboard/today/live", async (_request, reply) =>
    reply.view("today-live.eta", await todayData(ctx, spendLimit)),
  );
  app.get("/dashboard/queue", async (request, reply) =>
    page(request, reply, "queue", "Queue", await queueData(ctx)),
  );
}
