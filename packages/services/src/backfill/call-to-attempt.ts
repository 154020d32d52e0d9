import {
  type BlandCall,
  type CallFacts,
  callFacts,
  callIdOf,
  campaignDay,
  hasCallEnded,
  normalizeOutcome,
  normalizePhone,
  type SchedulerConfig,
} from "@redial/domain";

/** A Bland call object (full, or the short list item) as a source gives it. */
export type BackfillCall = BlandCall & { to?: string | null; created_at?: string | null };

/** One past call, ready to be written as a call attempt. */
export interface ImportableCall extends CallFacts {
  callId: string;
  phone: string;
  createdAt: Date;
  campaignDay: string;
  endedAt: Date;
  /** From the call's variables when Bland put them there (better timezones for a new lead). */
  state: string | null;
  zip: string | null;
}

export type CallVerdict =
  | { kind: "importable"; call: ImportableCall }
  | { kind: "not_ended" }
  | { kind: "bad"; item: string; reason: string };

const ANSWERED_BY_DECIDES = /^(voicemail|machine.*|no[- ]?answer)$/;

/**
 * Whether the short list item (GET /v1/calls) already decides the outcome, so GET /v1/calls/:id
 * can be skipped. It lacks the labels (pathway_tags, disposition_tag, variables), transfer fields,
 * status and price. A call answered by voicemail/a machine or not answered at all carries no label
 * that could outrank that (nobody spoke: no SALE, no opt-out, no transfer), so its list item
 * suffices. Every other call — a human answered, unknown, busy (known only from `status`),
 * failed, or not ended yet — is fetched in full. The cost: such calls are imported without price.
 */
export function listItemSuffices(item: BackfillCall): boolean {
  if (item.completed !== true) return false;
  return ANSWERED_BY_DECIDES.test((item.answered_by ?? "").trim().toLowerCase());
}

/** The call as an attempt, judged by THE one outcome normalization (and its one "answered"). */
export function toImportableCall(
  call: BackfillCall,
  rules: { answeredMinSeconds: number; calendar: SchedulerConfig },
): CallVerdict {
  const callId = callIdOf(call);
  if (callId === null) return { kind: "bad", item: describe(call), reason: "no call_id" };
  const phone = typeof call.to === "string" ? normalizePhone(call.to) : null;
  if (phone === null)
    return { kind: "bad", item: callId, reason: `"to" is not a US phone (${String(call.to)})` };
  const createdMs = typeof call.created_at === "string" ? Date.parse(call.created_at) : Number.NaN;
  if (!Number.isFinite(createdMs)) return { kind: "bad", item: callId, reason: "created_at is not a date" };
  if (!hasCallEnded(call)) return { kind: "not_ended" };
  const createdAt = new Date(createdMs);
  const result = normalizeOutcome(call, {
    answeredMinSeconds: rules.answeredMinSeconds,
    callbackZone: rules.calendar.timezone,
    now: createdAt,
  });
  return {
    kind: "importable",
    call: {
      callId,
      phone,
      createdAt,
      campaignDay: campaignDay(createdAt, rules.calendar),
      endedAt: endOf(call, createdMs, result.durationSeconds),
      ...callFacts(call, result),
      state: variableText(call, "state", /^[A-Za-z]{2}$/)?.toUpperCase() ?? null,
      zip: variableText(call, "zip", /^\d{5}$/),
    },
  };
}

function endOf(call: BackfillCall, createdMs: number, durationSeconds: number): Date {
  const end = typeof call.end_at === "string" ? Date.parse(call.end_at) : Number.NaN;
  return new Date(Number.isFinite(end) && end >= createdMs ? end : createdMs + durationSeconds * 1000);
}

function variableText(call: BackfillCall, key: string, pattern: RegExp): string | null {
  const value = call.variables?.[key];
  const text = typeof value === "string" ? value.trim().slice(0, key === "zip" ? 5 : undefined) : "";
  return pattern.test(text) ? text : null;
}

function describe(call: unknown): string {
  const text = JSON.stringify(call) ?? String(call);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
