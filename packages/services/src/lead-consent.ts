import {
  type Actor,
  type Database,
  getLead,
  inTransaction,
  type Lead,
  LeadNotFound,
  lockLead,
  recordAudit,
  recordConsent,
  type Transaction,
} from "@redial/db";
import { type Consent, isRedialing } from "@redial/domain";
import type { RedialContext } from "./context.ts";
import { rescheduleLead } from "./reschedule-lead.ts";

/**
 * Add a consent to a (locked) lead's history; true when that changed the lead's current consent
 * (the caller decides its next dial again). The same consent sent again changes nothing.
 */
export async function consentChanges(
  trx: Transaction<Database>,
  lead: Lead,
  consent: Consent,
  recordedBy: string,
): Promise<boolean> {
  const { created } = await recordConsent(trx, lead.id, consent, recordedBy);
  if (!created) return false;
  return (await getLead(trx, lead.id)).consent?.id !== lead.consent?.id;
}

/**
 * Add a consent to a (locked) lead's history in the caller's transaction. When it changes the
 * lead's current consent, a lead being redialed has its next dial decided again at once: a lead
 * that waited for consent is due now, not in a day. Returns the lead as it is afterwards.
 */
export async function recordConsentIn(
  ctx: RedialContext,
  trx: Transaction<Database>,
  lead: Lead,
  consent: Consent,
  recordedBy: string,
): Promise<Lead> {
  if (!(await consentChanges(trx, lead, consent, recordedBy))) return getLead(trx, lead.id);
  if (isRedialing(lead.status)) await rescheduleLead(ctx, trx, lead.id);
  return getLead(trx, lead.id);
}

/**
 * A consent for an existing lead (it arrived after the lead: a certificate, a form filled later).
 * With `by` (an operator, an API key) it is also a change by hand in the audit log.
 */
export async function recordLeadConsent(
  ctx: RedialContext,
  leadId: number,
  consent: Consent,
  recordedBy: string,
  by?: Actor,
): Promise<Lead> {
  return inTransaction(ctx.db, async (trx) => {
    const lead = await lockLead(trx, leadId);
    if (!lead) throw new LeadNotFound(leadId);
    const after = await recordConsentIn(ctx, trx, lead, consent, recordedBy);
    if (by)
      await recordAudit(trx, by, {
        action: "lead.consent",
        leadId,
        subject: lead.phone,
        details: { type: consent.type, captured_at: consent.capturedAt?.toISOString() ?? null },
      });
    return after;
  });
}
