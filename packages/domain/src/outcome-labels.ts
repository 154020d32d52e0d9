import type { Outcome } from "./outcome.ts";

/**
 * Reading free-text labels (pathway tags, dispositions, variables, an explicit outcome) as outcomes.
 * Labels are lower-cased, accents dropped, and every run of non-letters/digits becomes one space, so
 * `DO_NOT_CALL`, `do-not-call` and `Do Not Call` read the same.
 */
export function canonicalLabel(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

const OPT_OUT =
  /\b(dnc|do not call|donotcall|dont call|do not contact|stop calling|stop call|quit calling|take me off|remove me|remove my number|remove from (the )?(call |calling )?list|opt ?out|opted out|unsubscribe|never call|no llamar)\b/;
// A label that only reports a compliance check, an offer or a negation of DNC is not an opt-out:
// "DNC Scrub Passed", "not DNC", "dnc_check: clear", "opt-out offered", "Non-DNC".
const CHECK_WORDS =
  /\b(scrub|scrubbed|check|checked|lookup|verify|verified|verification|status|screen|screened|screening|registry check|litigator)\b/;
const CHECK_SAYS_LISTED =
  /(?<!\b(?:not|no|none) )\b(hit|match|matched|found|listed|failed|positive|flagged)\b/;
const NEGATED =
  /\b(not|non|no|never|without|false)( a| an| on| on the| in)? (dnc|do not call|opt ?out|opted out|unsubscribed?)\b|\b(dnc|opt ?out|do not call)( list)? (no|false|none|n a|clear|clean|negative|ok|passed|pass|not found|not listed)\b/;
const OFFER_WORDS =
  /\b(offer|offered|offering|disclosure|disclosed|notice|informed|explained|mentioned|read|script|option|available|rights?|eligible|consent given)\b/;

// A SALE ends redialing for good: a label that qualifies the word away ("sale lost", "sale
// declined", "sale pending") is not one, before or after it.
const SALE =
  /(?<!\b(?:no|not|non|lost|failed|missed|potential|possible) (?:a )?)\b(sale|sold|closed won|transfer sale)\b(?! (?:lost|declined|denied|failed|rejected|cancell?ed|not|no|pending|attempt|attempted|opportunity|callback|call back|fell through)\b)/;
const BAD_NUMBER_LABEL =
  /\b(wrong (number|person|phone)|bad (number|phone|phone number)|invalid (phone )?number|number (is )?invalid|disconnected( number)?|not in service|no longer in service|number not found|non ?working( number)?|not a working number)\b/;
const TRANSFER = /\b(transfer|transferred|transfered|transferring|xfer|live transfer|warm transfer)\b/;
const CALLBACK = /\b(call ?back|callback requested|call me later|call me back|schedule(d)? (a )?call)\b/;
const NOT_INTERESTED = /\b(not interested|no interest|uninterested|not_interested)\b/;
const VOICEMAIL = /\b(voice ?mail|vm|answering machine|machine|left message)\b/;
const NO_ANSWER = /\b(no answer|noanswer|unanswered|not answered|no pickup|ring no answer)\b/;
const BUSY = /\bbusy\b/;
const FAILED = /\b(fail|failed|failure|error)\b/;
const UNKNOWN = /\bunknown\b/;

/**
 * An opt-out label (`DNC`, `do_not_call`, "Take me off your list"): a DNC term that is not a
 * compliance check that passed, an offer, or a negation.
 */
export function isOptOutLabel(text: string): boolean {
  const label = canonicalLabel(text);
  if (!OPT_OUT.test(label) || NEGATED.test(label) || OFFER_WORDS.test(label)) return false;
  return !CHECK_WORDS.test(label) || CHECK_SAYS_LISTED.test(label);
}

/** A wrong-number / bad-phone label from the agent: the number itself is bad. */
export function isBadNumberLabel(text: string): boolean {
  return BAD_NUMBER_LABEL.test(canonicalLabel(text));
}

/**
 * The outcome a single label names, or null. Checked in precedence order so that
 * `TRANSFER_SALE` is a SALE, `no_sale` is not, and `do_not_call` is DNC.
 */
export function outcomeOfLabel(text: string): Outcome | null {
  const label = canonicalLabel(text);
  if (label === "") return null;
  if (isOptOutLabel(label)) return "DNC";
  if (SALE.test(label)) return "SALE";
  if (BAD_NUMBER_LABEL.test(label)) return "FAILED";
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

const BAD_NUMBER_ERROR =
  /\b((not|no longer) in service|invalid (phone |to |destination |dialed )?number|number (is )?invalid|not a valid (phone )?number|disconnected|unallocated|number does not exist|non ?existent number|(number|phone|destination)( \w+){0,4} (is |was )?not found|not a working number)\b/;

/** A carrier/API error saying the number itself is bad (not in service, invalid, not found). */
export function isBadNumberText(text: string): boolean {
  return BAD_NUMBER_ERROR.test(canonicalLabel(text));
}
