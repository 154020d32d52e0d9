import type { Outcome } from "@redial/domain";

/**
 * The Convoso status each call outcome sets on the lead. TRANSFERRED → ACA (transferred to a
 * closer, who sets SALE or NI themselves); VOICEMAIL → A (answering machine); FAILED → N (no answer
 * on an autodial: the call did not connect). UNKNOWN → NA: when we cannot tell what happened, the
 * neutral "no answer" claims no contact, sale or DNC and keeps the lead dialable in Convoso too.
 */
export const DEFAULT_OUTCOME_STATUS_MAP: Readonly<Record<Outcome, string>> = Object.freeze({
  SALE: "SALE",
  DNC: "DNC",
  TRANSFERRED: "ACA",
  CALLBACK: "CB",
  VOICEMAIL: "A",
  NO_ANSWER: "NA",
  BUSY: "B",
  NOT_INTERESTED: "NI",
  FAILED: "N",
  UNKNOWN: "NA",
});

/** A malformed outcome→status map (e.g. in CONVOSO_STATUS_MAP). */
export class InvalidOutcomeStatusMap extends Error {
  override name = "InvalidOutcomeStatusMap";
}

const STATUS_CODE = /^[A-Za-z0-9_-]+$/;

/**
 * Reads "SALE=SALE,DNC=DNCL,…" and merges it over DEFAULT_OUTCOME_STATUS_MAP. Blank text gives the
 * defaults. Throws InvalidOutcomeStatusMap naming the bad entry: an unknown outcome, a pair without
 * "=", an empty or malformed status, or an outcome given twice.
 */
export function parseOutcomeStatusMap(text: string): Record<Outcome, string> {
  const map: Record<Outcome, string> = { ...DEFAULT_OUTCOME_STATUS_MAP };
  const seen = new Set<Outcome>();
  for (const pair of text.split(",").map((p) => p.trim())) {
    if (pair === "") continue;
    const [outcome, status] = parsePair(pair);
    if (seen.has(outcome))
      throw new InvalidOutcomeStatusMap(`Outcome ${outcome} is mapped twice in "${text}"; keep one`);
    seen.add(outcome);
    map[outcome] = status;
  }
  return map;
}

function parsePair(pair: string): [Outcome, string] {
  const at = pair.indexOf("=");
  if (at < 0) throw new InvalidOutcomeStatusMap(`"${pair}" is not OUTCOME=STATUS (e.g. DNC=DNCL)`);
  const key = pair.slice(0, at).trim().toUpperCase();
  const status = pair.slice(at + 1).trim();
  if (!isOutcome(key)) {
    throw new InvalidOutcomeStatusMap(
      `"${key}" is not an outcome; use one of ${Object.keys(DEFAULT_OUTCOME_STATUS_MAP).join(", ")}`,
    );
  }
  if (!STATUS_CODE.test(status)) {
    throw new InvalidOutcomeStatusMap(
      `The status for ${key} ("${status}") must be a Convoso abbreviation such as NA or DNCL`,
    );
  }
  return [key, status];
}

function isOutcome(key: string): key is Outcome {
  return Object.hasOwn(DEFAULT_OUTCOME_STATUS_MAP, key);
}
