import { signWebhook } from "@redial/bland";
import { loadBlandCases } from "@redial/fixtures";
import type { OpenCall } from "./seed-calls.ts";

/** One POST of a webhook: the exact bytes and their signature. */
export interface Delivery {
  body: string;
  signature: string;
  /** A second delivery of bytes sent before (Bland's retry or resend). */
  duplicate: boolean;
}

/**
 * How often each outcome ends a call in the deliveries: the end-to-end tests' mix (OUTCOME_MIX of
 * @redial/testing: most calls reach a voicemail or nobody, one in twelve is a sale or an opt-out).
 */
const OUTCOME_WEIGHTS: Record<string, number> = {
  SALE: 1,
  DNC: 1,
  TRANSFERRED: 1,
  CALLBACK: 1,
  VOICEMAIL: 3,
  NO_ANSWER: 3,
  BUSY: 2,
};

/**
 * The corpus's ended outbound calls (real-shaped bodies: status, transcripts, variables…), each
 * outcome's cases repeated by its weight, so that cycling through them gives the mix above.
 */
function endedCallBodies(): Record<string, unknown>[] {
  const cases = loadBlandCases()
    .flatMap((family) => family.cases)
    .filter((c) => c.shape === "webhook" && c.body.inbound !== true);
  const bodies: Record<string, unknown>[] = [];
  for (const [outcome, weight] of Object.entries(OUTCOME_WEIGHTS)) {
    const ofOutcome = cases.filter((c) => c.expect.outcome === outcome);
    if (ofOutcome.length === 0) throw new Error(`no ${outcome} webhook body in @redial/fixtures`);
    for (let i = 0; i < weight * 12; i++)
      bodies.push((ofOutcome[i % ofOutcome.length] as (typeof cases)[number]).body);
  }
  return bodies;
}

/**
 * Deliveries of call-ended webhooks for the open calls, one each, in order, with a duplicate of an
 * earlier body every `1 / duplicateShare` deliveries (every other one of them sent right after its
 * first delivery, so the two may be in flight together).
 */
export function deliverySource(calls: OpenCall[], secret: string, duplicateShare: number) {
  const templates = endedCallBodies();
  const sent: Delivery[] = [];
  let next = 0;
  let count = 0;
  const fresh = (call: OpenCall): Delivery => {
    const template = templates[(call.attemptId * 7919) % templates.length] as Record<string, unknown>;
    const text = JSON.stringify({
      ...template,
      call_id: call.callId,
      c_id: call.callId,
      to: call.phone,
      metadata: { lead_id: call.leadId, attempt_id: call.attemptId },
    });
    return { body: text, signature: signWebhook(text, secret), duplicate: false };
  };
  return {
    /** The next delivery, or undefined when every open call has had its event. */
    next(): Delivery | undefined {
      count++;
      const every = Math.round(1 / duplicateShare);
      if (duplicateShare > 0 && count % every === 0 && sent.length > 0) {
        const again = (count / every) % 2 === 0 ? sent.at(-1) : sent[Math.floor(Math.random() * sent.length)];
        if (again) return { ...again, duplicate: true };
      }
      const call = calls[next++];
      if (!call) return undefined;
      const delivery = fresh(call);
      sent.push(delivery);
      return delivery;
    },
    /** How many distinct bodies were handed out. */
    distinct: () => sent.length,
  };
}
