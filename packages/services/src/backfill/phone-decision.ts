import type { ConvosoLead, ConvosoStatusClass } from "@redial/convoso";
import type { FinalOutcome, LeadStatus } from "@redial/domain";
import type { PhoneDecision, PhoneResult } from "./backfill-types.ts";
import { BACKFILL_REASON_PREFIX } from "./import-store.ts";

/** What Convoso said about one phone. */
export type ConvosoFacts =
  | { kind: "found"; lead: ConvosoLead; statusClass: ConvosoStatusClass; onDncList: boolean }
  | { kind: "not_found"; onDncList: boolean }
  | { kind: "error"; reason: string }
  | { kind: "skipped" };

export interface PhoneFacts {
  /** SALE/DNC when one of the run's calls to the phone ended so. */
  historyFinal: FinalOutcome | null;
  onOurDnc: boolean;
  convoso: ConvosoFacts;
}

/** Our DNC list or an opt-out in a past call decide without asking Convoso. */
export function needsConvoso(facts: Pick<PhoneFacts, "historyFinal" | "onOurDnc">): boolean {
  return !facts.onOurDnc && facts.historyFinal !== "DNC";
}

/**
 * The phone's fate. DNC from any source first (our list, an opt-out in a past call, Convoso's DNC
 * list, a DNC status), then SALE (Convoso's status or a past call), then not found; anything else
 * is redialed. Only SALE and DNC end redialing.
 */
export function decidePhone(facts: PhoneFacts): { decision: PhoneDecision; reason: string } {
  const c = facts.convoso;
  if (facts.onOurDnc) return { decision: "dnc", reason: "on our DNC list" };
  if (facts.historyFinal === "DNC") return { decision: "dnc", reason: "opted out during a past call" };
  if (c.kind === "error") return { decision: "error", reason: c.reason };
  if (c.kind !== "skipped" && c.onDncList) return { decision: "dnc", reason: "on Convoso's DNC list" };
  if (c.kind === "found" && c.statusClass === "dnc")
    return { decision: "dnc", reason: `Convoso status ${c.lead.status}` };
  if (c.kind === "found" && c.statusClass === "sale")
    return { decision: "sale", reason: `Convoso status ${c.lead.status}` };
  if (facts.historyFinal === "SALE") return { decision: "sale", reason: "SALE in a past call" };
  if (c.kind === "found" && c.statusClass === "bad_number")
    return {
      decision: "redial",
      reason: `Convoso status ${c.lead.status}: a bad number, parked for the cooldown`,
    };
  if (c.kind === "found") return { decision: "redial", reason: `Convoso status ${c.lead.status ?? "none"}` };
  return { decision: "not_found", reason: "no lead with this phone in any Convoso list" };
}

/** The lead as phase 2 sees it; null in a dry run when the import would have created it. */
export interface LeadState {
  status: LeadStatus;
  waitingReason: string | null;
}

export interface PhonePlan {
  result: PhoneResult;
  addToOurDnc: boolean;
  complete: FinalOutcome | null;
  /** The lead becomes active and gets its dial job. */
  activate: boolean;
  /** A lead the backfill created that stays paused; its waiting reason says why. */
  keepPausedWith: string | null;
  /** Tell Convoso about a DNC it does not know (our list or a past call said so). */
  pushDncToConvoso: boolean;
  /** Convoso's status says the number is bad: no dial before the bad-number cooldown ends. */
  parkBadNumber: boolean;
}

const NOTHING: PhonePlan = {
  result: "untouched",
  addToOurDnc: false,
  complete: null,
  activate: false,
  keepPausedWith: null,
  pushDncToConvoso: false,
  parkBadNumber: false,
};

/** What to do to the lead; `lead` null means the run created it paused (dry run: would create). */
export function planPhone(
  decision: PhoneDecision,
  reason: string,
  lead: LeadState | null,
  facts: PhoneFacts,
): PhonePlan {
  const byBackfill = lead === null || (lead.status === "paused" && isBackfillReason(lead.waitingReason));
  const completed = lead?.status === "completed";
  switch (decision) {
    case "dnc":
      return {
        ...NOTHING,
        result: completed ? "already_completed" : "completed_dnc",
        addToOurDnc: !facts.onOurDnc,
        complete: completed ? null : "DNC",
        pushDncToConvoso: !completed && !convosoSaysDnc(facts.convoso),
      };
    case "sale":
      return {
        ...NOTHING,
        result: completed ? "already_completed" : "completed_sale",
        complete: completed ? null : "SALE",
      };
    case "redial":
      if (byBackfill)
        return { ...NOTHING, result: "added", activate: true, parkBadNumber: saysBadNumber(facts) };
      if (completed) return { ...NOTHING, result: "kept_completed" };
      return { ...NOTHING, result: lead?.status === "paused" ? "kept_paused" : "already_queued" };
    case "not_found":
    case "error":
      return byBackfill
        ? { ...NOTHING, result: "left_paused", keepPausedWith: `${BACKFILL_REASON_PREFIX} ${reason}` }
        : NOTHING;
    default:
      return assertNever(decision);
  }
}

export function isBackfillReason(reason: string | null): boolean {
  return reason?.startsWith(BACKFILL_REASON_PREFIX) ?? false;
}

function saysBadNumber(facts: PhoneFacts): boolean {
  return facts.convoso.kind === "found" && facts.convoso.statusClass === "bad_number";
}

function convosoSaysDnc(c: ConvosoFacts): boolean {
  return (
    (c.kind === "found" || c.kind === "not_found") &&
    (c.onDncList || (c.kind === "found" && c.statusClass === "dnc"))
  );
}

function assertNever(value: never): never {
  throw new Error(`Unhandled phone decision ${String(value)}`);
}
