import {
  addToDncList,
  completeLead,
  type Database,
  findLeadByPhone,
  getLead,
  inTransaction,
  type Lead,
  LeadNotFound,
  lockLead,
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

async function withLockedLead<T>(
  ctx: RedialContext,
  id: number,
  work: (trx: Transaction<Database>, lead: Lead) => Promise<T>,
): Promise<Lead> {
  await inTransaction(ctx.db, async (trx) => {
    const lead = await lockLead(trx, id);
    if (!lead) throw new LeadNotFound(id);
    await work(trx, lead);
  });
  return getLead(ctx.db, id);
}

/** End redialing by hand (a closer's SALE, a DNC request): the pending job goes too. */
export async function stopLead(
  ctx: RedialContext,
  id: number,
  outcome: FinalOutcome,
  reason = "stopped by hand",
): Promise<Lead> {
  return withLockedLead(ctx, id, async (trx, lead) => {
    if (lead.status === "completed") return;
    await completeLeadIn(ctx, trx, lead, outcome, reason);
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

export async function pauseLead(ctx: RedialContext, id: number): Promise<Lead> {
  return withLockedLead(ctx, id, async (trx, lead) => {
    if (lead.status === "completed") throw new LeadCompleted(id, lead.finalOutcome ?? "completed");
    await saveLeadSchedule(trx, id, {
      status: "paused",
      nextAttemptAt: null,
      waitingReason: "paused by hand",
    });
    await cancelDialJob(ctx.boss, trx, id);
  });
}

export async function resumeLead(ctx: RedialContext, id: number): Promise<Lead> {
  return withLockedLead(ctx, id, async (trx, lead) => {
    if (lead.status === "completed") throw new LeadCompleted(id, lead.finalOutcome ?? "completed");
    if (lead.status !== "paused") return;
    await saveLeadSchedule(trx, id, { status: "active", nextAttemptAt: null, waitingReason: null });
    await rescheduleLead(ctx, trx, { ...lead, status: "active" });
  });
}

/** Put a phone on our DNC list and complete its lead (if we have one). */
export async function addDnc(
  ctx: RedialContext,
  rawPhone: string,
  reason: string,
): Promise<{ phone: string; added: boolean; lead: Lead | null }> {
  const phone = requirePhone(rawPhone);
  const result = await inTransaction(ctx.db, async (trx) => {
    const added = await addToDncList(trx, { phone, reason, source: "api" });
    const found = await findLeadByPhone(trx, phone);
    const lead = found ? await lockLead(trx, found.id) : undefined;
    if (lead && lead.status !== "completed") await completeLeadIn(ctx, trx, lead, "DNC", reason);
    return { added, leadId: lead?.id };
  });
  return { phone, added: result.added, lead: result.leadId ? await getLead(ctx.db, result.leadId) : null };
}
