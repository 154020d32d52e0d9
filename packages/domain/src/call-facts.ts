import type { CallResult } from "./call-result.ts";
import type { NormalizedOutcome } from "./normalize-outcome.ts";
import type { Outcome } from "./outcome.ts";

/** The Bland call object (webhook body or GET /v1/calls/:id), as far as we rely on it. */
export interface BlandCall extends CallResult {
  call_id?: string | null;
  c_id?: string | null;
  metadata?: Record<string, unknown> | null;
  price?: number | string | null;
  end_at?: string | null;
  transferred_to?: string | null;
}

/** Where a call attempt stands: dialing → in_progress (Bland took it) → ended, or not_placed. */
export type AttemptState = "dialing" | "in_progress" | "ended" | "not_placed";

/** What a call attempt records of a Bland call and its normalized outcome (callFacts). */
export interface CallFacts {
  outcome: Outcome;
  /** the field or phrase that decided the outcome */
  outcomeReason: string;
  rawStatus: string | null;
  answeredBy: string | null;
  answered: boolean;
  durationSeconds: number;
  price: number | null;
  transferred: boolean;
  transferredTo: string | null;
  callbackAt: Date | null;
  errorMessage: string | null;
}

/** What a call attempt records of its call's result (the call_attempts result columns). */
export interface AttemptResult extends CallFacts {
  blandCallId: string;
  endedAt: Date;
  source: "webhook" | "reconcile" | "backfill";
  receivedAt: Date;
}

export function callIdOf(call: BlandCall): string | null {
  const id = call.call_id ?? call.c_id;
  return typeof id === "string" && id.length > 0 ? id : null;
}

/** The attempt id we put in the call's metadata when we placed it, if it reads as one. */
export function attemptIdOf(call: BlandCall): number | null {
  const id = Number(call.metadata?.attempt_id);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/**
 * The attempt's result. `endedAt` is when its result reached us (our clock, never Bland's
 * `end_at`): the cadence counts from the moment we know the call is over.
 */
export function attemptResult(
  call: BlandCall,
  callId: string,
  result: NormalizedOutcome,
  source: "webhook" | "reconcile",
  now: Date,
): AttemptResult {
  return { blandCallId: callId, ...callFacts(call, result), endedAt: now, source, receivedAt: now };
}

/** What a call attempt records of a Bland call and its normalized outcome (webhook, reconcile, backfill). */
export function callFacts(call: BlandCall, result: NormalizedOutcome): CallFacts {
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
 * Where a callback time said without an offset ("tomorrow at 3 PM") is read: the zone of the
 * lead's ZIP (where it lives, `homeZone`), else the campaign's zone when the lead may be there,
 * else its first candidate. The calling window still applies to the callback whatever the zone.
 */
export function callbackZoneOf(
  lead: { homeZone: string | null; timezones: readonly string[] },
  campaignZone: string,
): string {
  if (lead.homeZone) return lead.homeZone;
  if (lead.timezones.length === 0 || lead.timezones.includes(campaignZone)) return campaignZone;
  return lead.timezones[0] ?? campaignZone;
}
