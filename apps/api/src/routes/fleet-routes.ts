import { listDailyReports, listIncidents } from "@redial/db";
import {
  awaitWorkersInStep,
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
import { fleetView } from "../operator-views.ts";

const pauseBody = z.object({ note: z.string().trim().max(500).optional() });
const waitQuery = z.object({ wait_seconds: z.coerce.number().min(0).max(30).default(10) });
const retryBody = z.object({ ids: z.array(z.string().uuid()).min(1).max(1000) });

/** Fleet-wide switches and the health lists: pause/resume, dead letters, daily reports, incidents. */
export function fleetRoutes(app: FastifyInstance, ctx: RedialContext): void {
  app.get(
    "/v1/admin/fleet",
    { schema: { tags: ["admin"], summary: "Whether new dials may start, and the live workers' heartbeats" } },
    async () => fleetView(await fleetStatus(ctx)),
  );

  app.post(
    "/v1/admin/pause",
    {
      schema: {
        tags: ["admin"],
        summary:
          "Pause the fleet: no new dial starts, calls in flight finish; answers once every live worker stopped fetching dial jobs (at most wait_seconds)",
        body: z.toJSONSchema(pauseBody, { io: "input" }),
      },
    },
    async (request) => {
      const { note } = pauseBody.parse(request.body ?? {});
      const { wait_seconds } = waitQuery.parse(request.query);
      await pauseFleet(ctx, actorOf(request), note ?? null);
      return fleetView(await awaitWorkersInStep(ctx, wait_seconds * 1000));
    },
  );

  app.post(
    "/v1/admin/resume",
    {
      schema: {
        tags: ["admin"],
        summary:
          "Resume the fleet (also lifts the spend cap's pause for the rest of the campaign day); queued leads are decided again",
      },
    },
    async (request) => {
      const { wait_seconds } = waitQuery.parse(request.query);
      await resumeFleet(ctx, actorOf(request));
      return fleetView(await awaitWorkersInStep(ctx, wait_seconds * 1000));
    },
  );

  app.get(
    "/v1/admin/convoso-dead-letters",
    { schema: { tags: ["admin"], summary: "Outcomes that never reached Convoso (retries spent)" } },
    async () => ({
      dead_letters: (await listConvosoDeadLetters(ctx, 500)).map((d) => ({
        id: d.id,
        lead_id: d.leadId,
        outcome: d.outcome,
        dead_since: d.deadSince.toISOString(),
        last_error: d.lastError,
      })),
    }),
  );

  app.post(
    "/v1/admin/convoso-dead-letters/retry",
    {
      schema: {
        tags: ["admin"],
        summary: "Send dead letters back to the convoso-sync queue",
        body: z.toJSONSchema(retryBody, { io: "input" }),
      },
    },
    async (request) => {
      const { ids } = retryBody.parse(request.body ?? {});
      return { retried: await retryConvosoDeadLetters(ctx, ids, actorOf(request)) };
    },
  );

  app.get(
    "/v1/admin/daily-reports",
    { schema: { tags: ["admin"], summary: "Past daily reports as stored and sent" } },
    async () => ({
      reports: (await listDailyReports(ctx.db, 60)).map((r) => ({
        day: r.day,
        created_at: r.createdAt.toISOString(),
        delivered_to: r.deliveredTo,
        errors: r.errors,
        numbers: r.numbers,
        text: r.text,
      })),
    }),
  );

  app.get(
    "/v1/admin/alerts",
    { schema: { tags: ["admin"], summary: "Alert incidents: open ones first, then the most recent" } },
    async () => ({
      incidents: (await listIncidents(ctx.db, 100)).map((i) => ({
        id: i.id,
        rule: i.rule,
        opened_at: i.openedAt.toISOString(),
        resolved_at: i.resolvedAt?.toISOString() ?? null,
        summary: i.summary,
        details: i.details,
        notified_to: i.notifiedTo,
        errors: i.errors,
      })),
    }),
  );
}
