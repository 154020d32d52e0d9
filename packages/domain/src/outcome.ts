/** What one call ended with, after normalization (the precedence table is in README.md). */
export type Outcome =
  | "SALE"
  | "DNC"
  | "TRANSFERRED"
  | "CALLBACK"
  | "VOICEMAIL"
  | "NO_ANSWER"
  | "BUSY"
  | "NOT_INTERESTED"
  | "FAILED"
  | "UNKNOWN";

export const OUTCOMES: readonly Outcome[] = Object.freeze([
  "SALE",
  "DNC",
  "TRANSFERRED",
  "CALLBACK",
  "VOICEMAIL",
  "NO_ANSWER",
  "BUSY",
  "NOT_INTERESTED",
  "FAILED",
  "UNKNOWN",
]);

/** The only outcomes that end redialing. */
export type FinalOutcome = "SALE" | "DNC";

/**
 * Where a lead is in its life: `active` (being redialed), `daily_max_reached` (waits for the next
 * calling day), `paused` (an operator stopped it), `completed` (ended by SALE or DNC).
 */
export type LeadStatus = "active" | "daily_max_reached" | "paused" | "completed";

export const LEAD_STATUSES: readonly LeadStatus[] = Object.freeze([
  "active",
  "daily_max_reached",
  "paused",
  "completed",
]);

/** True for SALE and DNC: the lead is completed and never dialed again. Exhaustive over Outcome. */
export function endsRedialing(outcome: Outcome): outcome is FinalOutcome {
  switch (outcome) {
    case "SALE":
    case "DNC":
      return true;
    case "TRANSFERRED":
    case "CALLBACK":
    case "VOICEMAIL":
    case "NO_ANSWER":
    case "BUSY":
    case "NOT_INTERESTED":
    case "FAILED":
    case "UNKNOWN":
      return false;
    default:
      return assertNever(outcome);
  }
}

export function isOutcome(value: unknown): value is Outcome {
  return typeof value === "string" && (OUTCOMES as readonly string[]).includes(value);
}

/** Exhaustiveness check for switches: a new union member makes the call site fail to compile. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled value: ${String(value)}`);
}
