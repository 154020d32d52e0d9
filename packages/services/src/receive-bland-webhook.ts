import { createHash } from "node:crypto";
import { findCallAttempts, listPendingBlandEvents, markWebhookEvent } from "@redial/db";
import { attemptIdOf, type BlandCall, callIdOf, historyStart } from "@redial/domain";
import { type BlandEventStore, singleEventStore } from "./bland-event-batcher.ts";
import type { RedialContext } from "./context.ts";
import { type Delivery, type RecordedCallResult, recordCallResult } from "./record-call-result.ts";

/** A Bland delivery once its event is durable: what applying its result needs. */
export interface StoredBlandDelivery {
  call: BlandCall;
  callId: string | null;
  /** The event already has its final result (a redelivery): nothing is applied, the answer is `duplicate`. */
  done: boolean;
  delivery: Delivery;
}

/**
 * A Bland webhook, the one owner of its event row. The event is stored first (committed whatever
 * happens next) — or, when the same body bytes (sha256) came before, counted on that first row
 * (delivery_count, last_delivered_at) and not stored again — in the same statement as the read of
 * the attempts it may be about and their lead. Then its result is applied (recordCallResult),
 * which ends the row with its final result: processed, duplicate, unknown_call, ignored, conflict,
 * or error with what went wrong. A redelivery of an event that already has its final result
 * changes nothing and answers `duplicate`; one of an event that failed (or is still pending) is
 * processed again. `store` groups concurrent deliveries in one commit (BlandEventBatcher).
 */
export async function receiveBlandWebhook(
  ctx: RedialContext,
  call: BlandCall,
  rawBody?: Buffer,
  store: BlandEventStore = singleEventStore(ctx.db),
): Promise<RecordedCallResult> {
  return applyBlandDelivery(ctx, await storeBlandDelivery(ctx, call, rawBody, store));
}

/** The first half of receiveBlandWebhook: the event stored (durable when this returns). */
export async function storeBlandDelivery(
  ctx: RedialContext,
  call: BlandCall,
  rawBody: Buffer | undefined,
  store: BlandEventStore,
): Promise<StoredBlandDelivery> {
  const now = ctx.now();
  const callId = callIdOf(call);
  const stored = await store.store(
    {
      callId,
      attemptId: attemptIdOf(call),
      body: call,
      sha256: createHash("sha256")
        .update(rawBody ?? JSON.stringify(call))
        .digest(),
    },
    historyStart(now),
  );
  return {
    call,
    callId,
    done: stored.redelivery && stored.result !== null && stored.result !== "error",
    delivery: { eventId: stored.eventId, attempts: stored.attempts, lead: stored.lead, now },
  };
}

/** The second half: the stored event's result applied, the event ended with it (or with error). */
export async function applyBlandDelivery(
  ctx: RedialContext,
  stored: StoredBlandDelivery,
): Promise<RecordedCallResult> {
  if (stored.done) return { status: "duplicate", callId: stored.callId };
  try {
    return await recordCallResult(ctx, stored.call, "webhook", stored.delivery);
  } catch (error) {
    // A final result (conflict) is kept; anything else that failed is marked error.
    await markWebhookEvent(
      ctx.db,
      stored.delivery.eventId,
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
 * duplicate). Reads them `batch` at a time, oldest first, each once, until none is left or
 * `budgetMs` has passed (the next minute's run goes on): an API that died with a backlog of
 * thousands is caught up in one run, not 100 a minute. Returns how many were looked at; one that
 * fails is marked error.
 */
export async function finishPendingBlandEvents(
  ctx: RedialContext,
  options: { batch?: number; budgetMs?: number } = {},
): Promise<number> {
  const batch = options.batch ?? 100;
  const until = Date.now() + (options.budgetMs ?? 45_000);
  let looked = 0;
  let afterId = 0;
  while (Date.now() < until) {
    const pending = await listPendingBlandEvents(ctx.db, PENDING_FOR_SECONDS, batch, afterId);
    await applyPendingBlandEvents(ctx, pending);
    looked += pending.length;
    afterId = pending.at(-1)?.id ?? afterId;
    if (pending.length < batch) break;
  }
  return looked;
}

async function applyPendingBlandEvents(
  ctx: RedialContext,
  pending: readonly { id: number; body: unknown }[],
): Promise<void> {
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
}
