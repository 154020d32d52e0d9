import { type CallResult, callDurationSeconds, isAnswered } from "./call-result.ts";
import { isTruthyFlag, labelSignals, quoted, type Signal, variableEntries } from "./call-signals.ts";
import { type CallbackTime, callbackTimeOf } from "./callback-time.ts";
import { findOptOut } from "./opt-out-signal.ts";
import type { Outcome } from "./outcome.ts";
import { canonicalLabel, isBadNumberLabel, isBadNumberText, outcomeOfLabel } from "./outcome-labels.ts";
import { type TransferFacts, transferFacts } from "./transfer-signal.ts";

export interface NormalizedOutcome {
  outcome: Outcome;
  /** which field decided, e.g. 'pathway_tags', 'transcript' */
  decidedBy: string;
  /** the field and the value or phrase that decided: `transcript: "take me off your list"` */
  reason: string;
  answered: boolean;
  durationSeconds: number;
  badNumber: boolean;
  /** a callback time found in the variables (read in `callbackZone` when written without a zone) */
  callbackAt: Date | null;
  transferred: boolean;
}

export interface OutcomeRules {
  answeredMinSeconds: number;
  /** zone for callback times written without one; default America/New_York */
  callbackZone?: string;
  /** for relative callback times ("tomorrow at 3pm"); without it only absolute times are read */
  now?: Date;
}

type Decision = { outcome: Outcome; decidedBy: string; reason: string };

interface Facts {
  labels: readonly Signal[];
  durationSeconds: number;
  callback: CallbackTime | null;
  transfer: TransferFacts;
}

const CALLBACK_FLAG =
  /^(callback|call back|callback requested|wants callback|requested callback|call back requested)$/;

/**
 * The outcome of one call, and why (`reason`: the field and the value or phrase that decided).
 * The precedence table, with an example reason per row, is in packages/domain/README.md
 * ("Outcome precedence"); `decide` below follows its rows in order: opt-out, SALE, bad number,
 * connected transfer, callback, not interested, other labels, then the telephony fields.
 */
export function normalizeOutcome(result: CallResult, rules: OutcomeRules): NormalizedOutcome {
  const durationSeconds = callDurationSeconds(result);
  const callback = callbackTimeOf(result.variables, rules.callbackZone ?? "America/New_York", rules.now);
  const labels = labelSignals(result);
  const transfer = transferFacts(result);
  const decision = decide(result, { labels, durationSeconds, callback, transfer });
  return {
    outcome: decision.outcome,
    decidedBy: decision.decidedBy,
    reason: decision.reason,
    answered: isAnswered({ answeredBy: result.answered_by, durationSeconds }, rules.answeredMinSeconds),
    durationSeconds,
    badNumber: decision.outcome === "FAILED" && isBadNumber(result, labels),
    callbackAt: callback?.at ?? null,
    transferred:
      transfer.kind === "connected" || (transfer.kind === "no_fields" && hasLabel(labels, "TRANSFERRED")),
  };
}

function decide(result: CallResult, facts: Facts): Decision {
  const optOut = findOptOut(result, facts.labels);
  if (optOut) return { outcome: "DNC", decidedBy: optOut.source, reason: optOut.reason };
  const sale = labelled(facts.labels, ["SALE"]);
  if (sale) return sale;
  const badNumber = badNumberDecision(result, facts.labels);
  if (badNumber) return badNumber;
  const transfer = transferDecision(facts);
  if (transfer) return transfer;
  const callback = callbackDecision(result, facts);
  if (callback) return callback;
  const rest = labelled(facts.labels, ["NOT_INTERESTED"]) ?? labelled(facts.labels, LOWER_LABELS);
  if (rest) return rest;
  const telephony = telephonyOutcome(result, facts.durationSeconds);
  if (telephony.outcome === "UNKNOWN" && facts.transfer.kind === "not_connected") {
    const label = firstLabel(facts.labels, ["TRANSFERRED"]);
    if (label)
      return {
        ...telephony,
        reason: `${quoted(label.source, label.text)} is not a transfer: ${facts.transfer.reason}`,
      };
  }
  return telephony;
}

const LOWER_LABELS: readonly Outcome[] = ["VOICEMAIL", "NO_ANSWER", "BUSY", "FAILED", "UNKNOWN"];

function firstLabel(labels: readonly Signal[], wanted: readonly Outcome[]): Signal | undefined {
  return labels.find((signal) => {
    const outcome = outcomeOfLabel(signal.text);
    return outcome !== null && wanted.includes(outcome);
  });
}

function hasLabel(labels: readonly Signal[], outcome: Outcome): boolean {
  return firstLabel(labels, [outcome]) !== undefined;
}

function labelled(labels: readonly Signal[], wanted: readonly Outcome[]): Decision | null {
  const signal = firstLabel(labels, wanted);
  const outcome = signal ? outcomeOfLabel(signal.text) : null;
  return signal && outcome
    ? { outcome, decidedBy: signal.source, reason: quoted(signal.source, signal.text) }
    : null;
}

function isBadNumber(result: CallResult, labels: readonly Signal[]): boolean {
  return isBadNumberText(result.error_message ?? "") || labels.some((label) => isBadNumberLabel(label.text));
}

function badNumberDecision(result: CallResult, labels: readonly Signal[]): Decision | null {
  if (isBadNumberText(result.error_message ?? ""))
    return {
      outcome: "FAILED",
      decidedBy: "error_message",
      reason: quoted("error_message", result.error_message),
    };
  const label = labels.find((signal) => isBadNumberLabel(signal.text));
  return label
    ? { outcome: "FAILED", decidedBy: label.source, reason: quoted(label.source, label.text) }
    : null;
}

function transferDecision(facts: Facts): Decision | null {
  if (facts.transfer.kind === "connected")
    return { outcome: "TRANSFERRED", decidedBy: facts.transfer.source, reason: facts.transfer.reason };
  return facts.transfer.kind === "no_fields" ? labelled(facts.labels, ["TRANSFERRED"]) : null;
}

function callbackDecision(result: CallResult, facts: Facts): Decision | null {
  const time = facts.callback;
  const at = time ? ` at ${time.text}${time.readIn ? ` (read in ${time.readIn})` : ""}` : "";
  const label = labelled(facts.labels, ["CALLBACK"]);
  if (label) return { ...label, reason: `${label.reason}${at}` };
  const flag = variableEntries(result).find(
    (entry) => CALLBACK_FLAG.test(canonicalLabel(entry.key)) && isTruthyFlag(entry.value),
  );
  if (flag)
    return { outcome: "CALLBACK", decidedBy: flag.source, reason: `${quoted(flag.source, flag.value)}${at}` };
  if (time) {
    const zone = time.readIn ? ` (read in ${time.readIn})` : "";
    return {
      outcome: "CALLBACK",
      decidedBy: time.source,
      reason: `${quoted(time.source, time.text)}${zone}`,
    };
  }
  return null;
}

/** Steps 8–13 of the precedence: what the telephony layer says when no label decided. */
function telephonyOutcome(result: CallResult, durationSeconds: number): Decision {
  const answeredBy = canonicalLabel(result.answered_by ?? "");
  const status = canonicalLabel(result.status ?? "");
  const queueStatus = canonicalLabel(result.queue_status ?? "");
  const by = (outcome: Outcome, field: "answered_by" | "status" | "queue_status" | "error_message") => ({
    outcome,
    decidedBy: field,
    reason: quoted(field, result[field]),
  });
  if (answeredBy === "voicemail" || answeredBy.includes("machine")) return by("VOICEMAIL", "answered_by");
  if (status === "busy") return by("BUSY", "status");
  if (answeredBy === "busy") return by("BUSY", "answered_by");
  if (status === "no answer" || status === "noanswer") return by("NO_ANSWER", "status");
  if (answeredBy === "no answer") return by("NO_ANSWER", "answered_by");
  if (["failed", "canceled", "cancelled", "error"].includes(status)) return by("FAILED", "status");
  if (queueStatus.includes("error")) return by("FAILED", "queue_status");
  if ((result.error_message ?? "").trim() !== "") return by("FAILED", "error_message");
  if (status === "completed" && durationSeconds === 0 && answeredBy !== "human")
    return {
      outcome: "NO_ANSWER",
      decidedBy: "status",
      reason: `status: "completed" after 0 s, nobody answered`,
    };
  const who = answeredBy === "" ? "answered_by empty" : quoted("answered_by", result.answered_by);
  return {
    outcome: "UNKNOWN",
    decidedBy: "default",
    reason: `no outcome label; ${who}, ${durationSeconds} s`,
  };
}
