import {
  type Actor,
  type DncEntry,
  findLeadByPhone,
  getLead,
  inTransaction,
  type Lead,
  lockLead,
  recordAudit,
  removeFromDncList,
  reopenDncLead,
} from "@redial/db";
import type { RedialContext } from "./context.ts";
import { requirePhone } from "./intake-lead.ts";
import { rescheduleLead } from "./reschedule-lead.ts";

export interface DncRemoval {
  phone: string;
  /** The entry taken off the list; undefined when the phone was not on it. */
  removed: DncEntry | undefined;
  /** The phone's lead as it is now (reopened when asked and it was completed as DNC). */
  lead: Lead | null;
  reopened: boolean;
}

/**
 * Take a phone off our DNC list by hand (`DELETE /v1/dnc/:phone`), recorded with who and why. Its
 * lead, completed as DNC, stays completed unless `reopen`: then it is active again and its next
 * dial is decided now. Convoso's own DNC list is not touched.
 */
export async function removeDnc(
  ctx: RedialContext,
  rawPhone: string,
  request: { reason: string; reopen: boolean; by: Actor },
): Promise<DncRemoval> {
  const phone = requirePhone(rawPhone);
  const result = await inTransaction(ctx.db, async (trx) => {
    const removed = await removeFromDncList(trx, phone);
    const found = await findLeadByPhone(trx, phone);
    const lead = found ? await lockLead(trx, found.id) : undefined;
    const reopened = Boolean(removed && lead && request.reopen && (await reopenDncLead(trx, lead.id)));
    if (reopened && lead) await rescheduleLead(ctx, trx, lead.id);
    if (removed)
      await recordAudit(trx, request.by, {
        action: "dnc.remove",
        leadId: lead?.id ?? null,
        subject: phone,
        details: { reason: request.reason, listed_reason: removed.reason, reopened },
      });
    return { removed, leadId: lead?.id, reopened };
  });
  return {
    phone,
    removed: result.removed,
    lead: result.leadId ? await getLead(ctx.db, result.leadId) : null,
    reopened: result.reopened,
  };
}
