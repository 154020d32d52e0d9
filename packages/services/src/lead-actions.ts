import {
  type Actor,
  addToDncList,
  type Database,
  findLeadByPhone,
  getLead,
  inTransaction,
  LEAD_LOCKED,
  type Lead,
  LeadNotFound,
  lockLead,
  recordAudit,
  type Transaction,
  writeCompletion,
  writeSchedule,
} from "@redial/db";
import { type Completion, completionBy, type FinalOutcome } from "@redial/domain";
import type { RedialContext } from "./context.ts";
import { convosoSyncPayload } from "./convoso-sync-payload.ts";
import { LeadCompleted } from "./errors.ts";
import { requirePhone } from "./intake-lead.ts";
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
    const completion = await completeLeadIn(ctx, trx, lead, outcome, reason);
    const changed = completion.complete !== null || completion.convosoSync !== null;
    return changed ? { action: "lead.stop", details: { outcome, reason } } : undefined;
  });
}

/**
 * A SALE or DNC for a (locked) lead that is not a call's result — a hand stop, a Convoso status, a
 * DNC add, the pre-dial Convoso check — by completionBy's precedence: the lead's first final
 * outcome stands; a DNC still goes on our DNC list (`dncSource`) and to Convoso.
 */
export async function completeLeadIn(
  ctx: RedialContext,
  trx: Transaction<Database>,
  lead: Lead,
  outcome: FinalOutcome,
  reason: string,
  dncSource = "manual",
): Promise<Completion> {
  const completion = completionBy(lead, outcome);
  const sync = completion.convosoSync ? { leadId: lead.id, ...completion.convosoSync } : null;
  await writeCompletion(trx, lead.id, LEAD_LOCKED, {
    complete: completion.complete,
    now: ctx.now(),
    addToDncList: completion.addToDncList ? { reason, source: dncSource } : null,
    convosoSync: convosoSyncPayload(ctx, sync),
  });
  return completion;
}

export async function pauseLead(ctx: RedialContext, id: number, by: Actor = UNNAMED_ACTOR): Promise<Lead> {
  return withLockedLead(ctx, id, by, async (trx, lead) => {
    if (lead.status === "completed") throw new LeadCompleted(id, lead.finalOutcome ?? "completed");
    await writeSchedule(trx, id, LEAD_LOCKED, {
      schedule: { status: "paused", nextAttemptAt: null, waitingReason: "paused by hand" },
      now: ctx.now(),
    });
    return lead.status === "paused" ? undefined : { action: "lead.pause" };
  });
}

export async function resumeLead(ctx: RedialContext, id: number, by: Actor = UNNAMED_ACTOR): Promise<Lead> {
  return withLockedLead(ctx, id, by, async (trx, lead) => {
    if (lead.status === "completed") throw new LeadCompleted(id, lead.finalOutcome ?? "completed");
    if (lead.status !== "paused") return undefined;
    await rescheduleLead(ctx, trx, id, { activate: true });
    return { action: "lead.resume" };
  });
}

/** Put a phone on our DNC list and complete its lead (if we have one; a sold lead stays SALE). */
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
    const completes = lead
      ? (await completeLeadIn(ctx, trx, lead, "DNC", reason, "api")).complete !== null
      : false;
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
