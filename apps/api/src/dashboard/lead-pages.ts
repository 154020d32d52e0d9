import { getLead, listAttempts, listAudit, searchLeads } from "@redial/db";
import { campaignDay } from "@redial/domain";
import { addDnc, pauseLead, type RedialContext, requirePhone, resumeLead, stopLead } from "@redial/services";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { actorOf } from "../auth.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import { attemptView, leadViews } from "../lead-view.ts";
import { auditView } from "../operator-views.ts";
import { leadListQuery } from "../routes/operator-routes.ts";
import { page } from "./render.ts";

const idParams = z.object({ id: z.coerce.number().int().positive() });
const stopForm = z.object({
  outcome: z.enum(["SALE", "DNC"]),
  reason: z.string().trim().max(500).optional(),
});

/** Leads: search by phone (any format), name or Convoso id, filters; a lead's page and its actions. */
export function leadPages(app: FastifyInstance, ctx: RedialContext): void {
  app.get("/dashboard/leads", async (request, reply) => {
    const raw = request.query as Record<string, string>;
    const query = leadListQuery.safeParse(
      Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== "")),
    );
    let error: string | null = null;
    let leads: unknown[] = [];
    let next: string | null = null;
    if (query.success) {
      try {
        const { phone, cursor, ...rest } = query.data;
        const before = decodeCursor(cursor, z.object({ id: z.number().int().positive() }));
        const found = await searchLeads(ctx.db, {
          ...rest,
          ...(phone ? { phone: requirePhone(phone) } : {}),
          ...(before ? { beforeId: before.id } : {}),
        });
        leads = await leadViews(ctx.db, found, campaignDay(ctx.now(), await ctx.calendar.get()));
        const last = found.at(-1);
        if (last && found.length === rest.limit)
          next = new URLSearchParams({ ...raw, cursor: encodeCursor({ id: last.id }) }).toString();
      } catch (thrown) {
        error = thrown instanceof Error ? thrown.message : String(thrown);
      }
    } else error = query.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    return page(request, reply, "leads", "Leads", { leads, filters: raw, error, next });
  });

  app.get("/dashboard/leads/:id", async (request, reply) => {
    const { id } = idParams.parse(request.params);
    return page(request, reply, "leads", `Lead ${id}`, await leadPageData(ctx, id));
  });

  const act = (name: string, action: (request: FastifyRequest, id: number) => Promise<unknown>) =>
    app.post(
      `/dashboard/leads/:id/${name}`,
      { preValidation: app.csrfProtection },
      async (request, reply) => {
        const { id } = idParams.parse(request.params);
        let error: string | null = null;
        try {
          await action(request, id);
        } catch (thrown) {
          error = thrown instanceof Error ? thrown.message : String(thrown);
        }
        return leadPage(request, reply, ctx, id, error);
      },
    );
  act("pause", (request, id) => pauseLead(ctx, id, actorOf(request)));
  act("resume", (request, id) => resumeLead(ctx, id, actorOf(request)));
  act("stop", (request, id) => {
    const form = stopForm.parse(request.body);
    return stopLead(ctx, id, form.outcome, form.reason || "stopped from the console", actorOf(request));
  });
  act("dnc", async (request, id) => {
    const lead = await getLead(ctx.db, id);
    const reason = z.object({ reason: z.string().trim().max(500).optional() }).parse(request.body).reason;
    return addDnc(ctx, lead.phone, reason || "DNC from the console", actorOf(request));
  });
}

async function leadPage(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: RedialContext,
  id: number,
  error: string | null,
) {
  return page(request, reply, "leads", `Lead ${id}`, { ...(await leadPageData(ctx, id)), error });
}

/** The lead, and its timeline: every call attempt and every change by hand, newest first. */
async function leadPageData(ctx: RedialContext, id: number) {
  const lead = await getLead(ctx.db, id);
  const [view, attempts, changes] = await Promise.all([
    leadViews(ctx.db, [lead], campaignDay(ctx.now(), await ctx.calendar.get())),
    listAttempts(ctx.db, id),
    listAudit(ctx.db, { leadId: id, limit: 200 }),
  ]);
  const timeline = [
    ...attempts.map((a) => ({ at: a.dialedAt.toISOString(), kind: "call" as const, call: attemptView(a) })),
    ...changes.map((c) => ({ at: c.at.toISOString(), kind: "change" as const, change: auditView(c) })),
  ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return { lead: view[0], timeline, error: null };
}
