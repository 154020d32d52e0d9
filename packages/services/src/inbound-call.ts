import { addToDncList, type Database, findLeadByPhone, lockLead, type Transaction } from "@redial/db";
import {
  type BlandCall,
  callIdOf,
  endsRedialing,
  type FinalOutcome,
  normalizeOutcome,
  normalizePhone,
} from "@redial/domain";
import type { RedialContext } from "./context.ts";
import { completeLeadIn } from "./lead-actions.ts";

/**
 * A call that is none of our attempts: the lead calling our number back (`inbound: true`, its
 * phone in `from`), or a call id we never placed (its lead in `to`, else `from`). Only what ends
 * redialing is applied: a DNC (said on the call: "stop calling me") completes the lead, puts the
 * phone on our DNC list (even when no lead has it) and reaches Convoso; a SALE completes the lead;
 * a lead already completed keeps its first final outcome (completeLeadIn, completionBy). Anything
 * else, or a phone we do not know, leaves it an unknown call (undefined).
 */
export async function recordUnknownCall(
  ctx: RedialContext,
  trx: Transaction<Database>,
  call: BlandCall,
): Promise<{ leadId: number; outcome: FinalOutcome } | undefined> {
  const result = normalizeOutcome(call, {
    answeredMinSeconds: ctx.policy.answeredMinSeconds,
    now: ctx.now(),
  });
  if (!endsRedialing(result.outcome)) return undefined;
  const phones = (call.inbound === true ? [call.from] : [call.to, call.from])
    .map((raw) => (typeof raw === "string" ? normalizePhone(raw) : null))
    .filter((phone): phone is string => phone !== null);
  const callId = callIdOf(call);
  const reason = `${call.inbound === true ? "inbound" : "unknown"} call ${callId ?? "(no id)"}: ${result.reason}`;
  for (const phone of phones) {
    const found = await findLeadByPhone(trx, phone);
    const lead = found ? await lockLead(trx, found.id) : undefined;
    if (!lead) continue;
    await completeLeadIn(ctx, trx, lead, result.outcome, reason, "call");
    return { leadId: lead.id, outcome: result.outcome };
  }
  const caller = phones[0];
  if (result.outcome === "DNC" && caller) await addToDncList(trx, { phone: caller, reason, source: "call" });
  return undefined;
}
