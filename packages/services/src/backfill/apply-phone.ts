import type { ConvosoLead } from "@redial/convoso";
import {
  addToDncList,
  type Database,
  findLeadByPhone,
  LEAD_LOCKED,
  type Lead,
  lockLead,
  type Transaction,
  writeCompletion,
  writeSchedule,
} from "@redial/db";
import { sql } from "kysely";
import type { RedialContext } from "../context.ts";
import { parkBadNumberIn } from "../convoso-statuses.ts";
import { convosoSyncPayload } from "../convoso-sync-payload.ts";
import { locateLead } from "../intake-lead.ts";
import { rescheduleLead } from "../reschedule-lead.ts";
import type { PhonePlan } from "./phone-decision.ts";

/** The phone's lead, locked for the transaction (found by id, else by phone). */
export async function lockPhoneLead(
  trx: Transaction<Database>,
  phone: string,
  leadId: number | null,
): Promise<Lead | undefined> {
  const id = leadId ?? (await findLeadByPhone(trx, phone))?.id;
  return id === undefined ? undefined : lockLead(trx, id);
}

/**
 * Carry out a phone's plan on its locked lead, in the caller's transaction. Returns whether the
 * phone was new on our DNC list. A completed lead is never reactivated (the plan never asks).
 */
export async function applyPhonePlan(
  ctx: RedialContext,
  trx: Transaction<Database>,
  lead: Lead | undefined,
  phone: string,
  plan: PhonePlan,
  details: { reason: string; convosoLead: ConvosoLead | null },
): Promise<boolean> {
  const dncAdded = plan.addToOurDnc
    ? await addToDncList(trx, { phone, reason: `backfill: ${details.reason}`, source: "backfill" })
    : false;
  if (!lead) return dncAdded;
  const now = ctx.now();
  if (plan.complete || plan.pushDncToConvoso) {
    const sync = plan.pushDncToConvoso ? { leadId: lead.id, outcome: "DNC", dnc: true } : null;
    await writeCompletion(trx, lead.id, LEAD_LOCKED, {
      complete: plan.complete,
      now,
      addToDncList: null,
      convosoSync: convosoSyncPayload(ctx, sync),
    });
  }
  if (plan.keepPausedWith) {
    await writeSchedule(trx, lead.id, LEAD_LOCKED, {
      schedule: { status: "paused", nextAttemptAt: null, waitingReason: plan.keepPausedWith },
      now,
    });
  }
  if (plan.activate) {
    if (details.convosoLead) await enrichLead(trx, lead, details.convosoLead);
    if (plan.parkBadNumber) await parkBadNumberIn(ctx, trx, lead.id, { activate: true });
    else await rescheduleLead(ctx, trx, lead.id, { activate: true });
  }
  return dncAdded;
}

/** Fill what the lead lacks from its Convoso lead (names, ids, list, state, ZIP → timezones). */
async function enrichLead(trx: Transaction<Database>, lead: Lead, c: ConvosoLead): Promise<void> {
  const state = lead.state ?? (c.state && /^[A-Za-z]{2}$/.test(c.state) ? c.state.toUpperCase() : null);
  const zip = lead.zip ?? (c.postalCode && /^\d{5}/.test(c.postalCode) ? c.postalCode.slice(0, 5) : null);
  const location = locateLead(lead.phone, { state, zip });
  const listIds = c.listId && !lead.listIds.includes(c.listId) ? [...lead.listIds, c.listId] : lead.listIds;
  await trx
    .updateTable("leads")
    .set({
      first_name: lead.firstName ?? c.firstName ?? null,
      last_name: lead.lastName ?? c.lastName ?? null,
      email: lead.email ?? c.email ?? null,
      convoso_lead_id: lead.convosoLeadId ?? c.leadId,
      list_ids: listIds,
      state,
      zip,
      timezones: location.timezones,
      states: location.states,
      updated_at: sql`now()`,
    })
    .where("id", "=", lead.id)
    .execute();
}
