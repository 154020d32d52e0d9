import {
  type CallAttemptRef,
  type CallAttempts,
  findAttempt,
  findCallAttempts,
  inTransaction,
  type LeadReading,
  markWebhookEvent,
  type WebhookEventResult,
  writeResult,
} from "@redial/db";
import {
  attemptIdOf,
  type BlandCall,
  bindCall,
  callIdOf,
  hasCallEnded,
  type Outcome,
  planResult,
  callbackZoneOf as zoneForCallback,
} from "@redial/domain";
import { lookupZip } from "@redial/geo";
import { callChecksOf } from "./call-checks-source.ts";
import type { RedialContext } from "./context.ts";
import { convosoSyncPayload } from "./convoso-sync-payload.ts";
import { CallIdConflict } from "./errors.ts";
import { recordUnknownCall } from "./inbound-call.ts";
import { readPlanWrite, STALE } from "./read-plan-write.ts";

export type CallResultStatus = "processed" | "duplicate" | "unknown_call" | "not_ended" | "ignored";

export interface RecordedCallResult {
  status: CallResultStatus;
  callId: string | null;
  leadId?: number;
  attemptId?: number;
  outcome?: Outcome;
  /** Which field or phrase decided the outcome (call_attempts.outcome_reason), when this result decided it. */
  outcomeReason?: string;
}

/** The webhook event a result came in, as stored with what it read (receiveBlandWebhook). */
export interface Delivery {
  eventId: number;
  attempts: CallAttempts;
  /** The lead of the attempt found, as read with the event (undefined: read it now). */
  lead: LeadReading | undefined;
  now: Date;
}

/**
 * Apply a call's result exactly once (webhook, reconciliation): bound to its attempt by its call id
 * (bindCall), planned (planResult) and written in one statement (writeResult: the attempt's
 * result, the lead completed or rescheduled, DNC, Convoso, the event's mark). A second delivery of
 * the same result changes nothing. For a webhook, every outcome ends on its stored event; a
 * call_id that belongs to another attempt than the one named throws CallIdConflict (event: conflict).
 */
export async function recordCallResult(
  ctx: RedialContext,
  call: BlandCall,
  source: "webhook" | "reconcile",
  delivery?: Delivery,
): Promise<RecordedCallResult> {
  const callId = callIdOf(call);
  const mark = async (result: WebhookEventResult, error?: string) => {
    if (delivery) await markWebhookEvent(ctx.db, delivery.eventId, result, error);
  };
  if (!hasCallEnded(call)) {
    await mark("ignored");
    return { status: "not_ended", callId };
  }
  const named = attemptIdOf(call);
  const attempts = delivery?.attempts ?? (await findCallAttempts(ctx.db, { callId, attemptId: named }));
  const binding = bindCall({ callId, attemptId: named }, attempts);
  switch (binding.kind) {
    case "unbound":
      await mark("ignored", binding.reason);
      return { status: "ignored", callId };
    case "conflict":
      await mark("conflict", binding.reason);
      throw new CallIdConflict(binding.reason);
    case "unknown_call": {
      // A call we never placed (inbound, another system's): matched to a lead by phone (inbound-call.ts).
      const inbound = await inTransaction(ctx.db, (trx) => recordUnknownCall(ctx, trx, call));
      await mark(inbound ? "processed" : "unknown_call");
      return inbound ? { status: "processed", callId, ...inbound } : { status: "unknown_call", callId };
    }
    case "bound": {
      const found = [attempts.byCallId, attempts.named].find((a) => a?.id === binding.attemptId);
      if (!found || callId === null) throw new Error(`attempt ${binding.attemptId} was bound but not read`);
      return recordBound(ctx, call, callId, source, found, delivery);
    }
  }
}

async function recordBound(
  ctx: RedialContext,
  call: BlandCall,
  callId: string,
  source: "webhook" | "reconcile",
  found: CallAttemptRef,
  delivery: Delivery | undefined,
): Promise<RecordedCallResult> {
  const answer = { callId, leadId: found.leadId, attemptId: found.id };
  const recorded = await readPlanWrite(
    ctx,
    found.leadId,
    async ({ db, reading, guard, now }) => {
      // Under the lock the attempt is read again: it may have its result by now.
      const attempt = guard.kind === "locked" ? await findAttempt(db, found.id) : found;
      if (!reading || !attempt) return { status: "unknown_call" as const };
      const calendar = await ctx.calendar.get();
      const plan = planResult({
        facts: reading,
        attempt: { id: attempt.id, state: attempt.state, dialedAt: attempt.dialedAt },
        call,
        callId,
        source,
        homeZone: homeZoneOf(reading.lead),
        now,
        policy: ctx.policy,
        calendar,
        checks: await callChecksOf(ctx),
      });
      if (plan.kind === "duplicate")
        return { status: "duplicate" as const, outcome: attempt.outcome ?? undefined };
      const written = await writeResult(db, reading.lead.id, guard, {
        attemptId: attempt.id,
        attempt: plan.attempt,
        lead: plan.lead,
        now,
        addToDncList: plan.addToDncList ? { reason: "opt-out during call", source: "call" } : null,
        convosoSync: convosoSyncPayload(
          ctx,
          plan.convosoSync ? { leadId: reading.lead.id, attemptId: attempt.id, ...plan.convosoSync } : null,
        ),
        event: delivery ? { id: delivery.eventId, result: "processed" } : null,
      });
      return written === "stale"
        ? STALE
        : { status: "processed" as const, outcome: plan.outcome, outcomeReason: plan.attempt.outcomeReason };
    },
    delivery?.lead ? { reading: delivery.lead, now: delivery.now } : undefined,
  );
  // A processed result marked its event in the same statement (writeResult); any other ends here.
  if (delivery && recorded.status !== "processed")
    await markWebhookEvent(ctx.db, delivery.eventId, recorded.status);
  return { ...answer, ...recorded };
}

/** The zone of the lead's ZIP (where it lives), if known: where its callback times are read first. */
function homeZoneOf(lead: { zip: string | null }): string | null {
  return lead.zip ? (lookupZip(lead.zip)?.timezone ?? null) : null;
}

/** Where a callback time said without an offset is read for this lead (domain callbackZoneOf, its ZIP's zone looked up). */
export function callbackZoneOf(
  lead: { zip: string | null; timezones: string[] },
  campaignZone: string,
): string {
  return zoneForCallback({ homeZone: homeZoneOf(lead), timezones: lead.timezones }, campaignZone);
}
