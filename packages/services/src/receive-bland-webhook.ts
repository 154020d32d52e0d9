import { createHash } from "node:crypto";
import { markWebhookEvent, storeBlandEvent } from "@redial/db";
import { attemptIdOf, type BlandCall, callIdOf, historyStart } from "@redial/domain";
import type { RedialContext } from "./context.ts";
import { type RecordedCallResult, recordCallResult } from "./record-call-result.ts";

/**
 * A Bland webhook, the one owner of its event row. The event is stored first (committed whatever
 * happens next) — or, when the same body bytes (sha256) came before, counted on that first row
 * (delivery_count, last_delivered_at) and not stored again — in the same statement as the read of
 * the attempts it may be about and their lead. Then its result is applied (recordCallResult),
 * which ends the row with its final result: processed, duplicate, unknown_call, ignored, conflict,
 * or error with what went wrong. A redelivery of an event that already has its final result
 * changes nothing and answers `duplicate`; one of an event that failed (or is still pending) is
 * processed again.
 */
export async function receiveBlandWebhook(
  ctx: RedialContext,
  call: BlandCall,
  rawBody?: Buffer,
): Promise<RecordedCallResult> {
  const now = ctx.now();
  const callId = callIdOf(call);
  const stored = await storeBlandEvent(ctx.db, {
    callId,
    attemptId: attemptIdOf(call),
    body: call,
    sha256: createHash("sha256")
      .update(rawBody ?? JSON.stringify(call))
      .digest(),
    since: historyStart(now),
  });
  if (stored.redelivery && stored.result !== null && stored.result !== "error")
    return { status: "duplicate", callId };
  try {
    return await recordCallResult(ctx, call, "webhook", {
      eventId: stored.eventId,
      attempts: stored.attempts,
      lead: stored.lead,
      now,
    });
  } catch (error) {
    // A final result (conflict) is kept; anything else that failed is marked error.
    await markWebhookEvent(
      ctx.db,
      stored.eventId,
      "error",
      error instanceof Error ? error.message : String(error),
    );
    throw error;
  }
}
