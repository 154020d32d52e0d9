import type { Outcome } from "@redial/domain";
import {
  CONVOSO_STATUS_CLASSES,
  type ConvosoStatusClass,
  type ConvosoStatusOverrides,
} from "./convoso-status.ts";

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
 * CONVOSO_STATUS_MAP holds both directions, comma-separated:
 * - `OUTCOME=STATUS`: the status our outcome sets in Convoso ("DNC=DNCL");
 * - `STATUS:treatment`: how a status Convoso reports is treated (sale, dnc, bad_number, other),
 *   over the account's flags ("S:sale,WRONG:bad_number,DNCLCC:other").
 */
function entriesOf(text: string): string[] {
  return text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
}

/**
 * Reads the `OUTCOME=STATUS` entries of CONVOSO_STATUS_MAP ("SALE=SALE,DNC=DNCL,…") and merges them
 * over DEFAULT_OUTCOME_STATUS_MAP. Blank text gives the defaults. Throws InvalidOutcomeStatusMap
 * naming the bad entry: an unknown outcome, a pair without "=", an empty or malformed status, or an
 * outcome given twice.
 */
export function parseOutcomeStatusMap(text: string): Record<Outcome, string> {
  const map: Record<Outcome, string> = { ...DEFAULT_OUTCOME_STATUS_MAP };
  const seen = new Set<Outcome>();
  for (const pair of entriesOf(text)) {
    if (isTreatmentEntry(pair)) continue;
    const [outcome, status] = parsePair(pair);
    if (seen.has(outcome))
      throw new InvalidOutcomeStatusMap(`Outcome ${outcome} is mapped twice in "${text}"; keep one`);
    seen.add(outcome);
    map[outcome] = status;
  }
  return map;
}

/**
 * Reads the `STATUS:treatment` entries of CONVOSO_STATUS_MAP ("S:sale,WRONG:bad_number"). Throws
 * InvalidOutcomeStatusMap naming a malformed code, an unknown treatment or a code given twice.
 */
export function parseStatusOverrides(text: string): ConvosoStatusOverrides {
  const overrides: Record<string, ConvosoStatusClass> = {};
  for (const entry of entriesOf(text).filter(isTreatmentEntry)) {
    const at = entry.indexOf(":");
    const code = entry.slice(0, at).trim().toUpperCase();
    const treatment = entry
      .slice(at + 1)
      .trim()
      .toLowerCase();
    if (!STATUS_CODE.test(code))
      throw new InvalidOutcomeStatusMap(
        `"${code}" in "${entry}" is not a Convoso status abbreviation such as WRONG`,
      );
    if (!isTreatment(treatment))
      throw new InvalidOutcomeStatusMap(
        `"${treatment}" in "${entry}" is not a treatment; use one of ${CONVOSO_STATUS_CLASSES.join(", ")}`,
      );
    if (code in overrides)
      throw new InvalidOutcomeStatusMap(`Status ${code} is given twice in "${text}"; keep one`);
    overrides[code] = treatment;
  }
  return overrides;
}

function isTreatmentEntry(entry: string): boolean {
  return entry.includes(":") && !entry.includes("=");
}

function isTreatment(value: string): value is ConvosoStatusClass {
  return (CONVOSO_STATUS_CLASSES as readonly string[]).includes(value);
}

function parsePair(pair: string): [Outcome, string] {
  const at = pair.indexOf("=");
  if (at < 0)
    throw new InvalidOutcomeStatusMap(
      `"${pair}" is neither OUTCOME=STATUS (e.g. DNC=DNCL) nor STATUS:treatment (e.g. WRONG:bad_number)`,
    );
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
