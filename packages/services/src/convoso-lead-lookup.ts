import { findLead, findLeadByPhone, findLeadIdsByConvosoLeadId, type Lead } from "@redial/db";
import type { RedialContext } from "./context.ts";
import { ConvosoLeadAmbiguous, ConvosoLeadMismatch } from "./errors.ts";
import { requirePhone } from "./intake-lead.ts";

/** What a Convoso message names a lead by: its phone, its Convoso lead id (and that lead's list). */
export interface ConvosoLeadReference {
  phone?: string | undefined;
  convosoLeadId?: string | undefined;
  listId?: string | undefined;
}

/**
 * The one lead of ours a Convoso message means, or undefined when it names none we know. Never a
 * guess: a Convoso lead id that several of our leads carry is refused (ConvosoLeadAmbiguous), and
 * so is a phone and an id that name different leads (ConvosoLeadMismatch). The phone is our key;
 * the id alone is used when no phone is sent.
 */
export async function findLeadForConvoso(
  ctx: Pick<RedialContext, "db">,
  reference: ConvosoLeadReference,
): Promise<Lead | undefined> {
  const byPhone = reference.phone ? await findLeadByPhone(ctx.db, requirePhone(reference.phone)) : undefined;
  if (!reference.convosoLeadId) return byPhone;
  const holders = await findLeadIdsByConvosoLeadId(ctx.db, reference.convosoLeadId, reference.listId);
  if (reference.phone) {
    if (holders.some((holder) => holder !== byPhone?.id))
      throw new ConvosoLeadMismatch(reference.convosoLeadId, holders, byPhone?.id ?? null);
    return byPhone;
  }
  if (holders.length > 1) throw new ConvosoLeadAmbiguous(reference.convosoLeadId, holders);
  const [only] = holders;
  return only === undefined ? undefined : findLead(ctx.db, only);
}
