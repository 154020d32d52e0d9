import type { CallResult } from "./call-result.ts";
import { isTruthyFlag, leadSpeech, quoted, type Signal, variableEntries } from "./call-signals.ts";
import { canonicalLabel, isOptOutLabel } from "./outcome-labels.ts";
import { findOptOutPhrase } from "./spoken-opt-out.ts";

/** Where an opt-out was found and the reason stored with the attempt. */
export interface OptOutFinding {
  source: string;
  reason: string;
}

/** Flag variables that ARE an opt-out when true: do_not_call, never_call_again, remove_from_list… */
const FLAG_NAMES = new Set([
  "dnc",
  "do not call",
  "do not call again",
  "dont call",
  "dont call again",
  "never call",
  "never call again",
  "remove from list",
  "remove from call list",
  "remove from calling list",
  "remove me",
  "remove number",
  "stop calling",
  "opt out",
  "opted out",
  "unsubscribe",
  "unsubscribed",
  "revoked consent",
  "consent revoked",
]);
/** Words around a flag name that do not change what it says ("customer_requested_dnc", "is_dnc"). */
const FLAG_FILLER = new Set([
  "is",
  "lead",
  "customer",
  "caller",
  "user",
  "prospect",
  "requested",
  "request",
  "requests",
  "wants",
  "asked",
  "flag",
  "the",
  "to",
  "be",
  "has",
  "did",
  "said",
  "please",
]);
/** A short value reads like a tag ("DNC", "Do Not Call"); a longer one like speech. */
const LABEL_LIKE_WORDS = 5;

/**
 * A DNC in what the call recorded, in this order: a label (outcome, disposition, pathway tag,
 * outcome variable) that is an opt-out and not a compliance mention; a true opt-out flag
 * (`do_not_call_again: true`; not `opt_out_offered: "yes"`); the lead's own words in the
 * transcript; the summary; any other text variable.
 */
export function findOptOut(result: CallResult, labels: readonly Signal[]): OptOutFinding | null {
  for (const label of labels)
    if (isOptOutLabel(label.text)) return { source: label.source, reason: quoted(label.source, label.text) };
  const entries = variableEntries(result);
  for (const { source, key, value } of entries)
    if (isOptOutFlag(key) && isTruthyFlag(value)) return { source, reason: quoted(source, value) };
  for (const turn of leadSpeech(result)) {
    const phrase = findOptOutPhrase(turn);
    if (phrase) return { source: "transcript", reason: quoted("transcript", phrase) };
  }
  const summary = result.summary ? findOptOutPhrase(result.summary, { reported: true }) : null;
  if (summary) return { source: "summary", reason: quoted("summary", summary) };
  for (const { source, value } of entries) {
    if (typeof value !== "string") continue;
    const phrase = findOptOutPhrase(value, { reported: true });
    if (phrase) return { source, reason: quoted(source, phrase) };
    if (isLabelLike(value) && isOptOutLabel(value)) return { source, reason: quoted(source, value) };
  }
  return null;
}

export function isOptOutFlag(key: string): boolean {
  const words = canonicalLabel(key)
    .split(" ")
    .filter((word) => word !== "" && !FLAG_FILLER.has(word));
  return FLAG_NAMES.has(words.join(" "));
}

function isLabelLike(value: string): boolean {
  return canonicalLabel(value).split(" ").length <= LABEL_LIKE_WORDS;
}
