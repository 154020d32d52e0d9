import { DateTime } from "luxon";
import type { Outcome } from "./outcome.ts";
import { canonicalLabel, isBadNumberText, isOptOutText, outcomeOfLabel } from "./outcome-labels.ts";

/** A Bland call object or webhook body, loosely typed: every field may be missing or null. */
export interface CallResult {
  status?: string | null;
  answered_by?: string | null;
  /** minutes */
  call_length?: number | null;
  /** seconds, sometimes a string */
  corrected_duration?: number | string | null;
  error_message?: string | null;
  pathway_tags?: ReadonlyArray<string | { name?: string | null }> | null;
  disposition_tag?: string | null;
  variables?: Record<string, unknown> | null;
  warm_transfer_call?: { state?: string | null } | null;
  transferred_to?: string | null;
  /** an explicit outcome a client sends */
  outcome?: string | null;
  completed?: boolean | null;
  queue_status?: string | null;
}

export interface NormalizedOutcome {
  outcome: Outcome;
  /** which signal won, e.g. 'pathway_tags', for logs */
  decidedBy: string;
  answered: boolean;
  durationSeconds: number;
  badNumber: boolean;
  /** from variables such as callback_time/callback_at when present (ISO, or read in `callbackZone`) */
  callbackAt: Date | null;
  transferred: boolean;
}

export interface OutcomeRules {
  answeredMinSeconds: number;
  /** zone for callback times written without an offset; default America/New_York */
  callbackZone?: string;
}

/**
 * THE one definition of "answered", used everywhere (reports included):
 * answered_by is "human" AND the call lasted at least `answeredMinSeconds`.
 */
export function isAnswered(
  input: { answeredBy: string | null | undefined; durationSeconds: number },
  answeredMinSeconds: number,
): boolean {
  return (
    (input.answeredBy ?? "").trim().toLowerCase() === "human" && input.durationSeconds >= answeredMinSeconds
  );
}

/** Seconds of talk: `corrected_duration` (seconds) when readable, else `call_length` (minutes) × 60. */
export function callDurationSeconds(result: CallResult): number {
  const corrected = Number(result.corrected_duration ?? Number.NaN);
  if (result.corrected_duration !== "" && Number.isFinite(corrected) && corrected >= 0)
    return Math.round(corrected);
  const minutes = result.call_length ?? Number.NaN;
  return Number.isFinite(minutes) && minutes >= 0 ? Math.round(minutes * 60) : 0;
}

interface Signal {
  source: string;
  text: string;
}

const OUTCOME_VARIABLE_KEYS = new Set([
  "outcome",
  "call outcome",
  "disposition",
  "result",
  "call result",
  "status",
  "lead status",
  "call status",
]);
const CALLBACK_VARIABLE_KEYS = [
  "callback_time",
  "callback_at",
  "callback_datetime",
  "callbackTime",
  "callbackAt",
];
const OPT_OUT_FLAG_KEY = /\b(dnc|do not call|opt ?out|opted out|unsubscribe)\b/;

/** Labels in precedence order of their source: explicit outcome, disposition, pathway tags, variables. */
function labelSignals(result: CallResult): Signal[] {
  const signals: Signal[] = [];
  if (result.outcome) signals.push({ source: "outcome", text: result.outcome });
  if (result.disposition_tag) signals.push({ source: "disposition_tag", text: result.disposition_tag });
  for (const tag of result.pathway_tags ?? []) {
    const text = typeof tag === "string" ? tag : tag?.name;
    if (text) signals.push({ source: "pathway_tags", text });
  }
  for (const [key, value] of Object.entries(result.variables ?? {})) {
    if (typeof value === "string" && OUTCOME_VARIABLE_KEYS.has(canonicalLabel(key))) {
      signals.push({ source: `variables.${key}`, text: value });
    }
  }
  return signals;
}

/** Every free text where a person's opt-out may have been recorded: all labels and all string variables. */
function optOutSource(result: CallResult, labels: readonly Signal[]): string | null {
  for (const signal of labels) if (isOptOutText(signal.text)) return signal.source;
  for (const [key, value] of Object.entries(result.variables ?? {})) {
    if (typeof value === "string" && isOptOutText(value)) return `variables.${key}`;
    if (OPT_OUT_FLAG_KEY.test(canonicalLabel(key)) && isTruthyFlag(value)) return `variables.${key}`;
  }
  return null;
}

function isTruthyFlag(value: unknown): boolean {
  if (value === true || value === 1) return true;
  return typeof value === "string" && ["true", "yes", "y", "1"].includes(value.trim().toLowerCase());
}

function firstLabelled(
  labels: readonly Signal[],
  wanted: readonly Outcome[],
): (Signal & { outcome: Outcome }) | null {
  for (const signal of labels) {
    const outcome = outcomeOfLabel(signal.text);
    if (outcome !== null && wanted.includes(outcome)) return { ...signal, outcome };
  }
  return null;
}

/** Parse a callback time from variables: ISO with offset, or local ISO/SQL text read in `zone`. */
export function callbackTimeOf(
  variables: Record<string, unknown> | null | undefined,
  zone: string,
): Date | null {
  for (const key of CALLBACK_VARIABLE_KEYS) {
    const value = variables?.[key];
    if (typeof value !== "string" || value.trim() === "") continue;
    const text = value.trim();
    let parsed = DateTime.fromISO(text, { zone, setZone: false });
    if (!parsed.isValid) parsed = DateTime.fromSQL(text, { zone });
    if (parsed.isValid) return new Date(parsed.toMillis());
  }
  return null;
}

function transferSource(result: CallResult): string | null {
  if ((result.warm_transfer_call?.state ?? "").trim().toUpperCase() === "MERGED") return "warm_transfer_call";
  if ((result.transferred_to ?? "").trim() !== "") return "transferred_to";
  return null;
}

type Decision = { outcome: Outcome; decidedBy: string };

/** Steps 6–10 of the precedence: what the telephony layer says when no label decided. */
function telephonyOutcome(result: CallResult, durationSeconds: number): Decision {
  const answeredBy = canonicalLabel(result.answered_by ?? "");
  const status = canonicalLabel(result.status ?? "");
  const queueStatus = canonicalLabel(result.queue_status ?? "");
  if (answeredBy === "voicemail" || answeredBy.includes("machine"))
    return { outcome: "VOICEMAIL", decidedBy: "answered_by" };
  if (status === "busy") return { outcome: "BUSY", decidedBy: "status" };
  if (status === "no answer" || status === "noanswer") return { outcome: "NO_ANSWER", decidedBy: "status" };
  if (answeredBy === "no answer") return { outcome: "NO_ANSWER", decidedBy: "answered_by" };
  if (status === "failed" || status === "canceled" || status === "cancelled")
    return { outcome: "FAILED", decidedBy: "status" };
  if (queueStatus.includes("error")) return { outcome: "FAILED", decidedBy: "queue_status" };
  if ((result.error_message ?? "").trim() !== "") return { outcome: "FAILED", decidedBy: "error_message" };
  if (status === "completed" && durationSeconds === 0 && answeredBy !== "human") {
    return { outcome: "NO_ANSWER", decidedBy: "status" };
  }
  return { outcome: "UNKNOWN", decidedBy: "default" };
}

/**
 * The outcome of one call. Precedence (first match wins; README.md has the same table):
 *
 * | #  | signal                                                                    | outcome        |
 * |----|---------------------------------------------------------------------------|----------------|
 * | 1  | opt-out/DNC in explicit outcome, disposition, a tag, or any variable text | DNC            |
 * | 2  | SALE in explicit outcome, disposition, a tag or an outcome variable       | SALE           |
 * | 3  | error_message says the number is bad (not in service/invalid/disconnected)| FAILED (bad)   |
 * | 4  | warm_transfer_call.state = MERGED, transferred_to set, or a transfer label| TRANSFERRED    |
 * | 5  | callback label, or a callback time in variables                            | CALLBACK       |
 * | 6  | not-interested label                                                      | NOT_INTERESTED |
 * | 7  | other label (voicemail/no answer/busy/failed/unknown), in source order:    | that label     |
 * |    | explicit outcome > disposition_tag > pathway_tags > outcome variables      |                |
 * | 8  | answered_by voicemail / machine                                           | VOICEMAIL      |
 * | 9  | status busy                                                               | BUSY           |
 * | 10 | status no-answer, or answered_by no-answer                                | NO_ANSWER      |
 * | 11 | status failed/canceled, queue_status *error, any error_message            | FAILED         |
 * | 12 | completed with 0 s and not human                                          | NO_ANSWER      |
 * | 13 | anything else (e.g. a human talked, no label)                             | UNKNOWN        |
 */
export function normalizeOutcome(result: CallResult, rules: OutcomeRules): NormalizedOutcome {
  const durationSeconds = callDurationSeconds(result);
  const callbackAt = callbackTimeOf(result.variables, rules.callbackZone ?? "America/New_York");
  const labels = labelSignals(result);
  const transferredBy = transferSource(result);
  const badNumber = isBadNumberText(result.error_message ?? "");
  const decision = decide(result, labels, { durationSeconds, callbackAt, transferredBy, badNumber });
  return {
    outcome: decision.outcome,
    decidedBy: decision.decidedBy,
    answered: isAnswered({ answeredBy: result.answered_by, durationSeconds }, rules.answeredMinSeconds),
    durationSeconds,
    badNumber: decision.outcome === "FAILED" && badNumber,
    callbackAt,
    transferred: transferredBy !== null || labels.some((s) => outcomeOfLabel(s.text) === "TRANSFERRED"),
  };
}

function decide(
  result: CallResult,
  labels: readonly Signal[],
  facts: {
    durationSeconds: number;
    callbackAt: Date | null;
    transferredBy: string | null;
    badNumber: boolean;
  },
): Decision {
  const optOut = optOutSource(result, labels);
  if (optOut !== null) return { outcome: "DNC", decidedBy: optOut };
  const sale = firstLabelled(labels, ["SALE"]);
  if (sale) return { outcome: "SALE", decidedBy: sale.source };
  if (facts.badNumber) return { outcome: "FAILED", decidedBy: "error_message" };
  if (facts.transferredBy !== null) return { outcome: "TRANSFERRED", decidedBy: facts.transferredBy };
  const transfer = firstLabelled(labels, ["TRANSFERRED"]);
  if (transfer) return { outcome: "TRANSFERRED", decidedBy: transfer.source };
  const callback = firstLabelled(labels, ["CALLBACK"]);
  if (callback) return { outcome: "CALLBACK", decidedBy: callback.source };
  if (facts.callbackAt !== null) return { outcome: "CALLBACK", decidedBy: "variables.callback_time" };
  const notInterested = firstLabelled(labels, ["NOT_INTERESTED"]);
  if (notInterested) return { outcome: "NOT_INTERESTED", decidedBy: notInterested.source };
  const other = firstLabelled(labels, ["VOICEMAIL", "NO_ANSWER", "BUSY", "FAILED", "UNKNOWN"]);
  if (other) return { outcome: other.outcome, decidedBy: other.source };
  return telephonyOutcome(result, facts.durationSeconds);
}
