import {
  bindConvosoLeadId,
  type Database,
  findLeadByPhone,
  findLeadIdsByConvosoLeadId,
  getLead,
  insertOrLockLead,
  inTransaction,
  isOnDncList,
  type Lead,
  type NewLead,
  type Transaction,
  widenLeadLocation,
} from "@redial/db";
import { isRedialing, leadLocation, normalizePhone } from "@redial/domain";
import { lookupZip } from "@redial/geo";
import type { RedialContext } from "./context.ts";
import { InvalidPhone, PhoneOnDncList } from "./errors.ts";
import { consentChanges } from "./lead-consent.ts";
import { type FieldWarning, isIdentifier, type LeadInput } from "./lead-input.ts";
import { rescheduleLead } from "./reschedule-lead.ts";

export interface IntakeResult {
  lead: Lead;
  created: boolean;
  /**
   * The row changed anything: a new lead, or a known one that gained a list id, a Convoso lead id,
   * a zone or state, or a consent. False for the same lead sent again (a file imported twice).
   */
  changed: boolean;
  /** Optional fields not stored as sent (from parseLeadInput, and a Convoso id held by another lead). */
  warnings: FieldWarning[];
}

/** Where the lead may be: candidate states and timezones from its ZIP, state and area code. */
export function locateLead(
  phone: string,
  input: Pick<LeadInput, "state" | "zip">,
): { timezones: string[]; states: string[] } {
  const zip = input.zip ? lookupZip(input.zip) : undefined;
  return leadLocation({
    phone,
    state: input.state ?? null,
    zip: input.zip ?? null,
    zipTimezone: zip?.timezone ?? null,
    zipState: zip?.state ?? null,
  });
}

/**
 * A new lead's stored columns from its input (one mapping for the single and the bulk intake):
 * its E.164 phone, names, email, address, where it may be (`location`: locateLead's), list and
 * source, and its Convoso lead id when it has one of its own.
 */
export function newLeadFrom(
  phone: string,
  input: LeadInput,
  location: { timezones: string[]; states: string[] },
  convosoLeadId: string | null = null,
): NewLead {
  return {
    phone,
    firstName: input.first_name ?? null,
    lastName: input.last_name ?? null,
    email: input.email ?? null,
    state: input.state ?? null,
    zip: input.zip ?? null,
    timezones: location.timezones,
    states: location.states,
    convosoLeadId,
    listId: input.list_id ?? null,
    source: input.source ?? null,
  };
}

/** E.164, or InvalidPhone. */
export function requirePhone(input: string): string {
  const phone = normalizePhone(input);
  if (!phone) throw new InvalidPhone(input);
  return phone;
}

/**
 * Admit one lead in the caller's transaction: idempotent by phone (a known phone returns the
 * existing lead and records the list id, and keeps the zones and states of a new address too),
 * refused when the phone is on the DNC list; a new lead gets its schedule and its dial job in the
 * same transaction. `input` is what parseLeadInput returns (or code-built values of its forms);
 * `warnings` are carried into the result. Its consent, if any, is added to the lead's history
 * (recorded by `via`, the intake path); one that changes the lead's current consent has the next
 * dial decided again at once.
 */
export async function intakeLeadIn(
  ctx: RedialContext,
  trx: Transaction<Database>,
  input: LeadInput,
  warnings: readonly FieldWarning[] = [],
  via = "intake",
): Promise<IntakeResult> {
  const phone = requirePhone(input.phone);
  if (await isOnDncList(trx, phone)) throw new PhoneOnDncList(phone);
  const location = locateLead(phone, input);
  const convoso = await convosoLeadIdFor(trx, phone, input);
  const {
    lead,
    created,
    changed: stored,
  } = await insertOrLockLead(trx, newLeadFrom(phone, input, location, convoso.id));
  const bound = convoso.id
    ? await bindConvosoLeadId(trx, {
        convosoLeadId: convoso.id,
        listId: input.list_id ?? null,
        leadId: lead.id,
      })
    : false;
  const allWarnings = [...warnings, ...convoso.warnings];
  const consented = input.consent ? await consentChanges(trx, lead, input.consent, via) : false;
  if (!created) {
    // Known phone, new address: where it may be called shrank; its next dial is decided again
    // (and when its current consent changed).
    const widened = await widenLeadLocation(trx, lead.id, location);
    const changed = stored || bound || widened || consented;
    if (!widened && !consented) return { lead, created, changed, warnings: allWarnings };
    const after = await getLead(trx, lead.id);
    if (isRedialing(after.status)) await rescheduleLead(ctx, trx, lead.id);
    return { lead: await getLead(trx, lead.id), created, changed, warnings: allWarnings };
  }
  await rescheduleLead(ctx, trx, lead.id);
  return { lead: await getLead(trx, lead.id), created, changed: true, warnings: allWarnings };
}

export async function intakeLead(
  ctx: RedialContext,
  input: LeadInput,
  warnings: readonly FieldWarning[] = [],
  via = "intake",
): Promise<IntakeResult> {
  return inTransaction(ctx.db, (trx) => intakeLeadIn(ctx, trx, input, warnings, via));
}

/**
 * The Convoso lead id to record for this phone: none when another of our leads already carries it
 * in the same list (a Convoso lead id names one Convoso lead, one phone), with a warning: binding
 * it twice would make every later lookup by that id ambiguous.
 */
async function convosoLeadIdFor(
  trx: Transaction<Database>,
  phone: string,
  input: LeadInput,
): Promise<{ id: string | null; warnings: FieldWarning[] }> {
  const id = input.convoso_lead_id;
  if (!id) return { id: null, warnings: [] };
  // Code-built input (the backfill's, from Convoso's answers) is not read by parseLeadInput.
  if (!isIdentifier(id) || (input.list_id && !isIdentifier(input.list_id)))
    return {
      id: null,
      warnings: [
        {
          field: "convoso_lead_id",
          message: `"${id}" (list ${input.list_id ?? "none"}) is not an id: not recorded.`,
        },
      ],
    };
  const holders = await findLeadIdsByConvosoLeadId(trx, id, input.list_id);
  if (holders.length === 0) return { id, warnings: [] };
  const own = await findLeadByPhone(trx, phone);
  const others = holders.filter((holder) => holder !== own?.id);
  if (others.length === 0) return { id, warnings: [] };
  return {
    id: null,
    warnings: [
      {
        field: "convoso_lead_id",
        message: `Convoso lead ${id} already belongs to our lead ${others.join(", ")} (another phone): not recorded for this one. Check the lead in Convoso.`,
      },
    ],
  };
}
