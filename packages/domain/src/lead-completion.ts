import type { FinalOutcome } from "./outcome.ts";

/** What a SALE or DNC signal does to a lead (a call's result, a hand stop, a Convoso status, a DNC add). */
export interface Completion {
  /** The lead becomes completed with this outcome; null: it already has one, which stands. */
  complete: FinalOutcome | null;
  /** The phone goes on our DNC list: every DNC signal, whatever the lead's state. */
  addToDncList: boolean;
  /**
   * What Convoso is told: the lead's final outcome as it now stands, and whether its phone goes on
   * Convoso's DNC list; null when nothing is new to Convoso.
   */
  convosoSync: { outcome: FinalOutcome; dnc: boolean } | null;
}

/**
 * THE precedence of final outcomes: a lead's first final outcome stands. A later SALE never
 * overwrites a DNC (a DNC entered by hand while a call was open stays DNC when the call's result
 * says SALE), and a later DNC never overwrites a SALE — but a later DNC still puts the phone on
 * our DNC list and on Convoso's (the lead's Convoso status stays its SALE).
 */
export function completionBy(lead: { finalOutcome: FinalOutcome | null }, signal: FinalOutcome): Completion {
  const dnc = signal === "DNC";
  if (lead.finalOutcome === null)
    return { complete: signal, addToDncList: dnc, convosoSync: { outcome: signal, dnc } };
  const newDnc = dnc && lead.finalOutcome !== "DNC";
  return {
    complete: null,
    addToDncList: dnc,
    convosoSync: newDnc ? { outcome: lead.finalOutcome, dnc: true } : null,
  };
}
