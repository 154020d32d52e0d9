import type { Outcome } from "./outcome.ts";

/**
 * Reading free-text labels (pathway tags, dispositions, variables, an explicit outcome) as outcomes.
 * Labels are lower-cased and every run of non-letters/digits becomes one space, so `DO_NOT_CALL`,
 * `do-not-call` and `Do Not Call` read the same.
 */
export function canonicalLabel(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

const OPT_OUT =
  /\b(dnc|do not call|donotcall|dont call|don t call|do not contact|stop calling|stop call|quit calling|take me off|remove me|remove my number|remove from (the )?list|opt ?out|opted out|unsubscribe|never call)\b/;
// A SALE ends redialing for good: a label that qualifies the word away ("sale lost", "sale
// declined", "sale pending") is not one, before or after it.
const SALE =
  /(?<!\b(?:no|not|non|lost|failed|missed|potential|possible) (?:a )?)\b(sale|sold|closed won|transfer sale)\b(?! (?:lost|declined|denied|failed|rejected|cancell?ed|not|no|pending|attempt|attempted|opportunity|callback|call back|fell through)\b)/;
const TRANSFER = /\b(transfer|transferred|transfered|transferring|xfer|live transfer|warm transfer)\b/;
const CALLBACK = /\b(call ?back|callback requested|call me later|call me back|schedule(d)? (a )?call)\b/;
const NOT_INTERESTED = /\b(not interested|no interest|uninterested|not_interested)\b/;
const VOICEMAIL = /\b(voice ?mail|vm|answering machine|machine|left message)\b/;
const NO_ANSWER = /\b(no answer|noanswer|unanswered|not answered|no pickup|ring no answer)\b/;
const BUSY = /\bbusy\b/;
const FAILED = /\b(fail|failed|failure|error|invalid|disconnected|not in service)\b/;
const UNKNOWN = /\bunknown\b/;

/** A spoken or tagged opt-out ("stop calling me", "take me off your list", DNC…): always DNC. */
export function isOptOutText(text: string): boolean {
  return OPT_OUT.test(canonicalLabel(text));
}

/**
 * The outcome a single label names, or null. Checked in precedence order so that
 * `TRANSFER_SALE` is a SALE, `no_sale` is not, and `do_not_call` is DNC.
 */
export function outcomeOfLabel(text: string): Outcome | null {
  const label = canonicalLabel(text);
  if (label === "") return null;
  if (OPT_OUT.test(label)) return "DNC";
  if (SALE.test(label)) return "SALE";
  if (TRANSFER.test(label)) return "TRANSFERRED";
  if (CALLBACK.test(label)) return "CALLBACK";
  if (NOT_INTERESTED.test(label)) return "NOT_INTERESTED";
  if (VOICEMAIL.test(label)) return "VOICEMAIL";
  if (NO_ANSWER.test(label)) return "NO_ANSWER";
  if (BUSY.test(label)) return "BUSY";
  if (FAILED.test(label)) return "FAILED";
  if (UNKNOWN.test(label)) return "UNKNOWN";
  return null;
}

const BAD_NUMBER =
  /\b((not|no longer) in service|invalid (phone |to |destination |dialed )?number|number (is )?invalid|not a valid (phone )?number|disconnected|unallocated|number does not exist|non ?existent number)\b/;

/** A carrier/API error saying the number itself is bad (not in service, invalid, disconnected). */
export function isBadNumberText(text: string): boolean {
  return BAD_NUMBER.test(canonicalLabel(text));
}
