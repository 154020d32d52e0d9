import {
  addToDncList,
  type CallAttempt,
  completeLead,
  type Database,
  findAttempt,
  findAttemptByCallId,
  inTransaction,
  type Lead,
  lockAttempt,
  lockLead,
  markWebhookEvent,
  recordLeadOutcome,
  saveAttemptResult,
  type Transaction,
  type WebhookEventResult,
} from "@redial/db";
import {
  type CallResult,
  endsRedialing,
  hasCallEnded,
  type NormalizedOutcome,
  normalizeOutcome,
  type Outcome,
} from "@redial/domain";
import { lookupZip } from "@redial/geo";
import { cancelDialJob, QUEUES } from "@redial/jobs";
import { fromKysely } from "pg-boss";
import type { RedialContext } from "./context.ts";
import { recordUnknownCall } from "./inbound-call.ts";
import { applyDecision, decideForLead } from "./reschedule-lead.ts";

/** The Bland call object (webhook body or GET /v1/calls/:id), as far as we rely on it. */
export interface BlandCallObject extends CallResult {
  call_id?: string | null;
  c_id?: string | null;
  metadata?: Record<string, unknown> | null;
  price?: number | string | null;
  end_at?: string | null;
  transferred_to?: string | null;
}

export type CallResultStatus = "processed" | "duplicate" | "unknown_call" | "not_ended";

export interface RecordedCallResult {
  status: CallResultStatus;
  callId: string | null;
  leadId?: number;
  attemptId?: number;
  outcome?: Outcome;
}

export function callIdOf(call: BlandCallObject): string | null {
  const id = call.call_id ?? call.c_id;
  return typeof id === "string" && id.length > 0 ? id : null;
}

/** Our attempt for a Bland call: by the attempt id we put in its metadata, else by call id. */
export async function findAttemptForCall(
  db: RedialContext["db"] | Transaction<Database>,
  call: BlandCallObject,
): Promise<CallAttempt | undefined> {
  const attemptId = Number(call.metadata?.attempt_id);
  if (Number.isSafeInteger(attemptId) && attemptId > 0) {
    const attempt = await findAttempt(db, attemptId);
    const callId = callIdOf(call);
    if (attempt && (!attempt.blandCallId || !callId || attempt.blandCallId === callId)) return attempt;
  }
  const callId = callIdOf(call);
  return callId ? findAttemptByCallId(db, callId) : undefined;
}

/**
 * Apply a call's result exactly once (webhook, reconciliation): in one transaction record the
 * outcome on the attempt, update the lead, and schedule its next dial — or complete it on
 * SALE/DNC and remove its pending job — and, for a webhook, mark its stored event with what
 * happened. A second delivery of the same result changes nothing.
 */
export async function recordCallResult(
  ctx: RedialContext,
  call: BlandCallObject,
  source: "webhook" | "reconcile",
  options: { webhookEventId?: number } = {},
): Promise<RecordedCallResult> {
  return inTransaction(ctx.db, async (trx) => {
    const recorded = await recordIn(ctx, trx, call, source);
    if (options.webhookEventId !== undefined)
      await markWebhookEvent(trx, options.webhookEventId, eventResult(recorded.status));
    return recorded;
  });
}

function eventResult(status: CallResultStatus): WebhookEventResult {
  return status === "not_ended" ? "ignored" : status;
}

async function recordIn(
  ctx: RedialContext,
  trx: Transaction<Database>,
  call: BlandCallObject,
  source: "webhook" | "reconcile",
): Promise<RecordedCallResult> {
  const callId = callIdOf(call);
  if (!hasCallEnded(call)) return { status: "not_ended", callId };
  const found = await findAttemptForCall(trx, call);
  if (!found) return (await recordUnknownCall(ctx, trx, call)) ?? { status: "unknown_call", callId };
  // Lead first, then attempt: the same order as the dialer, so the two never deadlock.
  const lead = await lockLead(trx, found.leadId);
  const attempt = await lockAttempt(trx, found.id);
  if (!lead || !attempt) return { status: "unknown_call", callId };
  if (attempt.state === "ended") {
    return {
      status: "duplicate",
      callId,
      leadId: lead.id,
      attemptId: attempt.id,
      outcome: attempt.outcome ?? undefined,
    };
  }
  const now = ctx.now();
  const calendar = await ctx.calendar.get();
  const result = normalizeOutcome(call, {
    answeredMinSeconds: ctx.policy.answeredMinSeconds,
    callbackZone: callbackZoneOf(lead, calendar.timezone),
    now,
  });
  await saveAttemptResult(
    trx,
    attempt.id,
    attemptResult(call, callId ?? attempt.blandCallId ?? "", result, source, now),
  );
  await applyOutcomeToLead(ctx, trx, lead, result, now);
  await enqueueConvosoSync(ctx, trx, { leadId: lead.id, attemptId: attempt.id, outcome: result.outcome });
  return { status: "processed", callId, leadId: lead.id, attemptId: attempt.id, outcome: result.outcome };
}

/**
 * Where a callback time said without an offset ("tomorrow at 3 PM") is read: the zone of the
 * lead's ZIP (where it lives), else the campaign's zone when the lead may be there, else its
 * first candidate. The calling window still applies to the callback whatever the zone.
 */
export function callbackZoneOf(lead: Pick<Lead, "zip" | "timezones">, campaignZone: string): string {
  const home = lead.zip ? lookupZip(lead.zip)?.timezone : undefined;
  if (home) return home;
  if (lead.timezones.length === 0 || lead.timezones.includes(campaignZone)) return campaignZone;
  return lead.timezones[0] ?? campaignZone;
}

/**
 * The attempt's result. `endedAt` is when its result reached us (our clock, never Bland's
 * `end_at`): the cadence counts from the moment we know the call is over.
 */
export function attemptResult(
  call: BlandCallObject,
  callId: string,
  result: NormalizedOutcome,
  source: "webhook" | "reconcile",
  now: Date,
) {
  return { blandCallId: callId, ...callFacts(call, result), endedAt: now, source, receivedAt: now };
}

/** What a call attempt records of a Bland call and its normalized outcome (webhook, reconcile, backfill). */
export function callFacts(call: BlandCallObject, result: NormalizedOutcome) {
  return {
    outcome: result.outcome,
    outcomeReason: result.reason,
    rawStatus: call.status ?? call.queue_status ?? null,
    answeredBy: call.answered_by ?? null,
    answered: result.answered,
    durationSeconds: result.durationSeconds,
    price: priceOf(call.price),
    transferred: result.transferred,
    transferredTo: call.transferred_to ?? null,
    callbackAt: result.callbackAt,
    errorMessage: call.error_message ?? null,
  };
}

function priceOf(price: unknown): number | null {
  if (price === null || price === undefined || price === "") return null;
  const n = Number(price);
  return Number.isFinite(n) ? n : null;
}

/**
 * The lead side of a result (the lead locked by the caller): last outcome, callback, bad-number
 * cooldown, then complete it, or reschedule it in the same UPDATE.
 */
async function applyOutcomeToLead(
  ctx: RedialContext,
  trx: Transaction<Database>,
  lead: Lead,
  result: NormalizedOutcome,
  now: Date,
): Promise<void> {
  const changes = outcomeChanges(ctx, result, now);
  const { callbackAt, badNumberUntil } = changes;
  if (endsRedialing(result.outcome)) {
    await recordLeadOutcome(trx, lead.id, changes);
    await completeLead(trx, lead.id, result.outcome, now);
    await cancelDialJob(ctx.boss, trx, lead.id);
    if (result.outcome === "DNC")
      await addToDncList(trx, { phone: lead.phone, reason: "opt-out during call", source: "call" });
    return;
  }
  if (lead.status === "completed" || lead.status === "paused") {
    await recordLeadOutcome(trx, lead.id, changes);
    return;
  }
  // The lead as that UPDATE leaves it, for the engine (the saved attempt result is in its history).
  const updated: Lead = {
    ...lead,
    lastOutcome: result.outcome,
    callbackAt,
    badNumberUntil: badNumberUntil ?? lead.badNumberUntil,
  };
  await applyDecision(ctx, trx, updated, await decideForLead(ctx, trx, updated, now), now, changes);
}

/** What a result changes on its lead besides the schedule: last outcome, callback, bad-number cooldown. */
export function outcomeChanges(ctx: RedialContext, result: NormalizedOutcome, now: Date) {
  return {
    lastOutcome: result.outcome,
    callbackAt:
      result.outcome === "CALLBACK" && result.callbackAt && result.callbackAt > now
        ? result.callbackAt
        : null,
    badNumberUntil: result.badNumber
      ? new Date(now.getTime() + ctx.policy.badNumberCooldownDays * 86_400_000)
      : null,
  };
}

/** The convoso-sync job of an outcome. */
export function convosoSyncPayload(sync: { leadId: number; attemptId?: number; outcome: Outcome }) {
  return {
    leadId: sync.leadId,
    attemptId: sync.attemptId,
    outcome: sync.outcome,
    dnc: sync.outcome === "DNC",
  };
}

/** Push the outcome to Convoso through the durable queue, in the same transaction. */
export async function enqueueConvosoSync(
  ctx: RedialContext,
  trx: Transaction<Database>,
  sync: { leadId: number; attemptId?: number; outcome: Outcome },
): Promise<void> {
  if (!ctx.syncToConvoso) return;
  await ctx.boss.send(QUEUES.convosoSync.name, convosoSyncPayload(sync), { db: fromKysely(trx) });
}
