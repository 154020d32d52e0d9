import {
  type Actor,
  addToDncList,
  completeLead,
  type Database,
  findLeadByPhone,
  getLead,
  inTransaction,
  type Lead,
  LeadNotFound,
  lockLead,
  recordAudit,
  saveLeadSchedule,
  type Transaction,
} from "@redial/db";
import type { FinalOutcome } from "@redial/domain";
import { cancelDialJob } from "@redial/jobs";
import type { RedialContext } from "./context.ts";
import { LeadCompleted } from "./errors.ts";
import { requirePhone } from "./intake-lead.ts";
import { enqueueConvosoSync } from "./record-call-result.ts";
import { rescheduleLead } from "./reschedule-lead.ts";

/** Who a change by hand is recorded under when the caller names nobody (the CLI, tests). */
export const UNNAMED_ACTOR: Actor = { name: "system" };

/**
 * Change a lead by hand under its lock; `work` returns what to record in the audit log (who, what,
 * the status before), or undefined when nothing changed.
 */
async function withLockedLead(
  ctx: RedialContext,
  id: number,
  by: Actor,
  work: (
    trx: Transaction<Database>,
    lead: Lead,
  ) => Promise<{ action: string; details?: Record<string, unknown> } | undefined>,
): Promise<Lead> {
  await inTransaction(ctx.db, async (trx) => {
    const lead = await lockLead(trx, id);
    if (!lead) throw new LeadNotFound(id);
    const change = await work(trx, lead);
    if (change)
      await recordAudit(trx, by, {
        action: change.action,
        leadId: id,
        subject: lead.phone,
        details: { from_status: lead.status, ...change.details },
      });
  });
  return getLead(ctx.db, id);
}

/** End redialing by hand (a closer's SALE, a DNC request): the pending job goes too. */
export async function stopLead(
  ctx: RedialContext,
  id: number,
  outcome: FinalOutcome,
  reason = "stopped by hand",
  by: Actor = UNNAMED_ACTOR,
): Promise<Lead> {
  return withLockedLead(ctx, id, by, async (trx, lead) => {
    if (lead.status === "completed") return undefined;
    await completeLeadIn(ctx, trx, lead, outcome, reason);
    return { action: "lead.stop", details: { outcome, reason } };
  });
}

export async function completeLeadIn(
  ctx: RedialContext,
  trx: Transaction<Database>,
  lead: Lead,
  outcome: FinalOutcome,
  reason: string,
): Promise<void> {
  await completeLead(trx, lead.id, outcome, ctx.now());
  await cancelDialJob(ctx.boss, trx, lead.id);
  if (outcome === "DNC") await addToDncList(trx, { phone: lead.phone, reason, source: "manual" });
  await enqueueConvosoSync(ctx, trx, { leadId: lead.id, outcome });
}

export async function pauseLead(ctx: RedialContext, id: number, by: Actor = UNNAMED_ACTOR): Promise<Lead> {
  return withLockedLead(ctx, id, by, async (trx, lead) => {
    if (lead.status === "completed") throw new LeadCompleted(id, lead.finalOutcome ?? "completed");
    await saveLeadSchedule(trx, id, {
      status: "paused",
      nextAttemptAt: null,
      waitingReason: "paused by hand",
    });
    await cancelDialJob(ctx.boss, trx, id);
    return lead.status === "paused" ? undefined : { action: "lead.pause" };
  });
}

export async function resumeLead(ctx: RedialContext, id: number, by: Actor = UNNAMED_ACTOR): Promise<Lead> {
  return withLockedLead(ctx, id, by, async (trx, lead) => {
    if (lead.status === "completed") throw new LeadCompleted(id, lead.finalOutcome ?? "completed");
    if (lead.status !== "paused") return undefined;
    await saveLeadSchedule(trx, id, { status: "active", nextAttemptAt: null, waitingReason: null });
    await rescheduleLead(ctx, trx, { ...lead, status: "active" });
    return { action: "lead.resume" };
  });
}

/** Put a phone on our DNC list and complete its lead (if we have one). */
export async function addDnc(
  ctx: RedialContext,
  rawPhone: string,
  reason: string,
  by: Actor = UNNAMED_ACTOR,
): Promise<{ phone: string; added: boolean; lead: Lead | null }> {
  const phone = requirePhone(rawPhone);
  const result = await inTransaction(ctx.db, async (trx) => {
    const added = await addToDncList(trx, { phone, reason, source: "api" });
    const found = await findLeadByPhone(trx, phone);
    const lead = found ? await lockLead(trx, found.id) : undefined;
    const completes = lead !== undefined && lead.status !== "completed";
    if (completes) await completeLeadIn(ctx, trx, lead, "DNC", reason);
    if (added || completes)
      await recordAudit(trx, by, {
        action: "dnc.add",
        leadId: lead?.id ?? null,
        subject: phone,
        details: { reason, lead_completed: completes },
      });
    return { added, leadId: lead?.id };
  });
  return { phone, added: result.added, lead: result.leadId ? await getLead(ctx.db, result.leadId) : null };
}
