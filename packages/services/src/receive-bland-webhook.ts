import {
  isRetryableTransactionError,
  recordResult,
  type StoredBlandEvent,
  storeBlandEvent,
} from "@redial/db";
import { endsRedialing, hasCallEnded, historyStart, normalizeOutcome } from "@redial/domain";
import { dialJobDelaySeconds } from "@redial/jobs";
import type { RedialContext } from "./context.ts";
import {
  attemptResult,
  type BlandCallObject,
  callbackZoneOf,
  callIdOf,
  convosoSyncPayload,
  outcomeChanges,
  type RecordedCallResult,
  recordCallResult,
} from "./record-call-result.ts";
import { decideFromHistory, scheduleFor } from "./reschedule-lead.ts";

/**
 * A Bland webhook: the raw event is stored first (its own statement, committed), then the call's
 * result is applied exactly once. A result that keeps its lead redialing is decided from what the
 * storing statement read and written in one more statement (migration 0010's
 * redial_record_result); anything else (SALE/DNC, a duplicate, an unknown call, a lead paused or
 * changed meanwhile) goes through recordCallResult's locked transaction. `onStored` sees the
 * event id before the result is applied (to mark the event when applying it fails).
 */
export async function receiveBlandWebhook(
  ctx: RedialContext,
  call: BlandCallObject,
  onStored: (eventId: number) => void = () => undefined,
): Promise<RecordedCallResult> {
  const now = ctx.now();
  const attemptId = Number(call.metadata?.attempt_id);
  const stored = await storeBlandEvent(ctx.db, {
    callId: callIdOf(call),
    body: call,
    attemptId: Number.isSafeInteger(attemptId) && attemptId > 0 ? attemptId : null,
    since: historyStart(now),
  });
  onStored(stored.eventId);
  return (
    (await recordInOneStatement(ctx, call, stored, now)) ??
    (await recordCallResult(ctx, call, "webhook", { webhookEventId: stored.eventId }))
  );
}

async function recordInOneStatement(
  ctx: RedialContext,
  call: BlandCallObject,
  stored: StoredBlandEvent,
  now: Date,
): Promise<RecordedCallResult | undefined> {
  const { attempt, lead: reading } = stored;
  if (!ctx.singleStatementWrites || !hasCallEnded(call) || !attempt || !reading) return undefined;
  if (attempt.state !== "dialing" && attempt.state !== "in_progress") return undefined;
  const { lead } = reading;
  if (lead.status !== "active" && lead.status !== "daily_max_reached") return undefined;
  const calendar = await ctx.calendar.get();
  const result = normalizeOutcome(call, {
    answeredMinSeconds: ctx.policy.answeredMinSeconds,
    callbackZone: callbackZoneOf(lead, calendar.timezone),
    now,
  });
  if (endsRedialing(result.outcome)) return undefined;
  // The attempt's result is in the history the engine reads, as the locked path reads it back.
  if (!reading.history.some((entry) => entry.attemptId === attempt.id)) return undefined;
  const history = reading.history.map((entry) =>
    entry.attemptId === attempt.id ? { ...entry, endedAt: now } : entry,
  );
  const changes = outcomeChanges(ctx, result, now);
  const updated = { ...lead, ...changes, badNumberUntil: changes.badNumberUntil ?? lead.badNumberUntil };
  const schedule = scheduleFor(
    updated,
    await decideFromHistory(ctx, updated, history, now),
    now,
    ctx.reconcileAfterMs,
  );
  if ((schedule.status !== "active" && schedule.status !== "daily_max_reached") || !schedule.nextAttemptAt)
    return undefined;
  const callId = callIdOf(call);
  const written = await recordResult(ctx.db, {
    reading,
    since: historyStart(now),
    attemptId: attempt.id,
    ended: attemptResult(call, callId ?? attempt.blandCallId ?? "", result, "webhook", now),
    lead: {
      status: schedule.status,
      nextAttemptAt: schedule.nextAttemptAt,
      waitingReason: schedule.waitingReason,
      ...changes,
    },
    jobDelaySeconds: dialJobDelaySeconds(schedule.nextAttemptAt, now),
    convosoSync: ctx.syncToConvoso
      ? convosoSyncPayload({ leadId: lead.id, attemptId: attempt.id, outcome: result.outcome })
      : null,
    webhookEventId: stored.eventId,
  }).catch((error: unknown) => {
    // A deadlock victim: the locked transaction runs it again.
    if (isRetryableTransactionError(error)) return "stale" as const;
    throw error;
  });
  if (written === "stale") return undefined;
  return { status: "processed", callId, leadId: lead.id, attemptId: attempt.id, outcome: result.outcome };
}
