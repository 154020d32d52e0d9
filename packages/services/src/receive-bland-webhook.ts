import { createHash } from "node:crypto";
import { findCallAttempts, listPendingBlandEvents, markWebhookEvent, storeBlandEvent } from "@redial/db";
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

/** An event still pending this long (database clock) was left by a process that died while applying it. */
const PENDING_FOR_SECONDS = 5 * 60;

/**
 * Every minute (the pending-webhook-events cron): Bland events stored but left without their
 * result — the API died between storing one and applying it — are applied again from their stored
 * body, so no event stays pending for ever. Applying is idempotent (a result already recorded is a
 * duplicate). Returns how many were looked at; one that fails is marked error.
 */
export async function finishPendingBlandEvents(ctx: RedialContext, limit = 100): Promise<number> {
  const pending = await listPendingBlandEvents(ctx.db, PENDING_FOR_SECONDS, limit);
  for (const event of pending) {
    const call = event.body as BlandCall;
    try {
      const attempts = await findCallAttempts(ctx.db, {
        callId: callIdOf(call),
        attemptId: attemptIdOf(call),
      });
      await recordCallResult(ctx, call, "webhook", {
        eventId: event.id,
        attempts,
        lead: undefined,
        now: ctx.now(),
      });
    } catch (error) {
      await markWebhookEvent(
        ctx.db,
        event.id,
        "error",
        error instanceof Error ? error.message : String(error),
      );
      ctx.log.error({ eventId: event.id, err: error }, "pending webhook event could not be applied");
    }
  }
  return pending.length;
}
