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

/** The corpus's ended outbound calls (real-shaped bodies: status, transcripts, variables…). */
function endedCallBodies(): Record<string, unknown>[] {
  const bodies = loadBlandCases()
    .flatMap((family) => family.cases)
    .filter((c) => c.shape === "webhook" && c.expect.outcome !== null && c.body.inbound !== true)
    .map((c) => c.body);
  if (bodies.length === 0) throw new Error("no ended-call webhook bodies in @redial/fixtures");
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
    const template = templates[call.attemptId % templates.length] as Record<string, unknown>;
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
