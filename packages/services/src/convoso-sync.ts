import { type ConvosoClient, type ConvosoStatusClass, readConvosoStatus } from "@redial/convoso";
import { bindConvosoLeadId, findLead, inTransaction, lockLead } from "@redial/db";
import type { Outcome } from "@redial/domain";
import { sql } from "kysely";
import type { RedialContext } from "./context.ts";
import { type ConvosoLeadReference, findLeadForConvoso } from "./convoso-lead-lookup.ts";
import { loadConvosoStatuses, parkBadNumberIn, readStatusOfAccount } from "./convoso-statuses.ts";
import { completeLeadIn } from "./lead-actions.ts";
import { isIdentifier } from "./lead-input.ts";

export interface ConvosoSyncJob {
  leadId: number;
  outcome: string;
  dnc: boolean;
}

/**
 * Push one outcome to Convoso (the `convoso-sync` job): the lead's status by the outcome map, and
 * the phone onto Convoso's DNC list for a DNC. Throws on failure so the queue retries it; a
 * Convoso failure never touches redialing.
 */
export async function syncOutcomeToConvoso(
  ctx: Pick<RedialContext, "db" | "log">,
  convoso: ConvosoClient,
  statusMap: Readonly<Record<Outcome, string>>,
  job: ConvosoSyncJob,
): Promise<"updated" | "lead_not_in_convoso"> {
  const lead = await findLead(ctx.db, job.leadId);
  if (!lead) return "lead_not_in_convoso";
  if (job.dnc) await convoso.insertDnc(lead.phone, { reason: "redial: opt-out" });
  const found = lead.convosoLeadId ? undefined : await convoso.findLeadByPhone(lead.phone);
  const convosoLeadId = lead.convosoLeadId ?? found?.leadId;
  if (!convosoLeadId) return "lead_not_in_convoso";
  if (found) {
    await ctx.db
      .updateTable("leads")
      .set({ convoso_lead_id: convosoLeadId, updated_at: sql`now()` })
      .where("id", "=", lead.id)
      .execute();
    // Convoso's own answer, so its lookups by this id find the lead (an odd id is not recorded).
    if (isIdentifier(convosoLeadId))
      await bindConvosoLeadId(ctx.db, {
        convosoLeadId,
        listId: found.listId && isIdentifier(found.listId) ? found.listId : null,
        leadId: lead.id,
      });
  }
  const status = statusMap[job.outcome as Outcome] ?? statusMap.UNKNOWN;
  await convoso.updateLead(convosoLeadId, { status });
  return "updated";
}

/**
 * Convoso says a lead's status changed: a status the account's table (CONVOSO_STATUS_MAP over it)
 * reads as a sale or DNC stops dialing it; a bad-number status parks it for the bad-number
 * cooldown. Any other status changes nothing. Returns what happened and why.
 */
export async function applyConvosoStatus(
  ctx: RedialContext,
  input: ConvosoLeadReference & { status: string },
): Promise<{
  result: "completed_sale" | "completed_dnc" | "parked_bad_number" | "ignored" | "lead_not_found";
  leadId: number | null;
  reason?: string;
}> {
  const reading = await readStatusOfAccount(ctx, input.status);
  const kind = reading.treatment;
  const found = await findLeadForConvoso(ctx, input);
  if (!found) return { result: "lead_not_found", leadId: null, reason: reading.reason };
  if (kind === "other") return { result: "ignored", leadId: found.id, reason: reading.reason };
  await inTransaction(ctx.db, async (trx) => {
    const lead = await lockLead(trx, found.id);
    if (!lead) return;
    if (kind === "bad_number") {
      if (lead.status !== "paused" && lead.status !== "completed") await parkBadNumberIn(ctx, trx, lead.id);
    }
    // A lead already completed keeps its first final outcome (completeLeadIn, completionBy).
    else
      await completeLeadIn(
        ctx,
        trx,
        lead,
        kind === "sale" ? "SALE" : "DNC",
        `Convoso status ${reading.reason}`,
      );
  });
  const result = kind === "sale" ? "completed_sale" : kind === "dnc" ? "completed_dnc" : "parked_bad_number";
  return { result, leadId: found.id, reason: reading.reason };
}

/**
 * CONVOSO_PREDIAL_CHECK: the lead's status in Convoso just before a dial, read with the account's
 * cached status table and CONVOSO_STATUS_MAP (the same reading as the status webhook and backfill).
 */
export async function convosoStatusOf(
  ctx: Pick<RedialContext, "db" | "convosoStatusOverrides">,
  convoso: ConvosoClient,
  phone: string,
): Promise<ConvosoStatusClass> {
  if (await convoso.searchDnc(phone)) return "dnc";
  const lead = await convoso.findLeadByPhone(phone);
  if (!lead?.status) return "other";
  const { statuses } = await loadConvosoStatuses(ctx.db);
  return readConvosoStatus(lead.status, statuses, ctx.convosoStatusOverrides).treatment;
}
