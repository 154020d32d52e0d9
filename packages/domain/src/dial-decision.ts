import type { ConsentSnapshot } from "./consent.ts";
import type { FinalOutcome, LeadStatus } from "./outcome.ts";

/** What the engine needs to know about a lead (a plain digest of its row). */
export interface LeadSnapshot {
  status: LeadStatus;
  finalOutcome: FinalOutcome | null;
  /** candidate IANA zones (leadLocation); empty ⇒ the safe window */
  timezones: string[];
  /** applicable states (leadLocation) */
  states: string[];
  badNumberUntil: Date | null;
  callbackAt: Date | null;
  attemptsTotal: number;
  /** the consent on record now (the strongest grant since the last revocation), or null */
  consent: ConsentSnapshot | null;
}

/** One dial attempt of the lead. */
export interface AttemptSnapshot {
  dialedAt: Date;
  /** null = call still in progress */
  endedAt: Date | null;
}

export type WaitReason =
  | "interval"
  | "min_gap"
  | "outside_window"
  | "not_a_calling_day"
  | "holiday"
  | "daily_max_reached"
  | "state_rolling_cap"
  | "bad_number"
  | "callback"
  /** no legal instant within the search horizon: looked at again in a day */
  | "no_calling_window"
  /** not the consent CONSENT_REQUIRED asks for: looked at again in a day, or when a consent is recorded */
  | "no_consent";

export const WAIT_REASONS: readonly WaitReason[] = Object.freeze([
  "interval",
  "min_gap",
  "outside_window",
  "not_a_calling_day",
  "holiday",
  "daily_max_reached",
  "state_rolling_cap",
  "bad_number",
  "callback",
  "no_calling_window",
  "no_consent",
]);

export type NeverReason = "completed" | "paused" | "max_total_attempts";

export type DialDecision =
  | { kind: "dial_now" }
  | { kind: "wait"; at: Date; reason: WaitReason; detail: string }
  /** placed: Bland gave the call's id (unknown to the engine: false, checked early) */
  | { kind: "in_progress"; since: Date; placed?: boolean }
  | { kind: "never"; reason: NeverReason; detail: string };
