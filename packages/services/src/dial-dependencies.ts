import type { BlandCall, DialLimits } from "@redial/domain";

/** How a dial reaches Bland (the worker builds it from the Bland client and the rate limiter). */
export interface Dialer {
  /**
   * Place the call. Throws a classified error: see `DialFailure`. `beforeSend` runs right before
   * the request leaves, after any wait for the rate limiter, and stops it by throwing.
   */
  place(request: {
    leadId: number;
    attemptId: number;
    phone: string;
    beforeSend?: () => Promise<void>;
  }): Promise<{ callId: string }>;
  /** After an ambiguous failure: the call Bland placed for this attempt, if any. */
  findPlacedCall(request: { attemptId: number; phone: string; since: Date }): Promise<string | undefined>;
  /** The call object; undefined when Bland does not know the id. */
  getCall(callId: string): Promise<BlandCall | undefined>;
  /** Classify a failure of `place`: safe to retry (not placed), final (not placed), or ambiguous. */
  classify(error: unknown): DialFailure;
}

export type DialFailure =
  | { kind: "retry"; afterMs: number; message: string }
  | { kind: "not_placed"; message: string }
  | { kind: "ambiguous"; message: string };

export interface DialDependencies {
  dialer: Dialer;
  limits: DialLimits;
  /** Tries for 429 / connection refused before giving the lead back to the schedule. */
  maxPlaceTries?: number;
  /** When a dial could not be placed, the lead is looked at again after this long. */
  retryNotPlacedAfterMs?: number;
  /** Wait between retries of `place` (the worker waits; tests pass a no-op). */
  wait?: (ms: number) => Promise<void>;
  /**
   * Over DIAL_MAX_CONCURRENT: wait until a slot is given back (true: plan again now) instead of
   * putting the lead back on the schedule for CONCURRENT_LIMIT_RETRY_MS; false when none came
   * within the watch's patience, counted from `since` (then the lead goes back to the schedule).
   * The worker's is `watchDialSlots`; without one, the lead goes back to the schedule at once.
   */
  slotFreed?: (since: number) => Promise<boolean>;
  /** CONVOSO_PREDIAL_CHECK: the lead's status in Convoso just before dialing, read with the account's table. */
  preDialCheck?: (phone: string) => Promise<"sale" | "dnc" | "bad_number" | "other">;
}

export type DialJobResult =
  | "lead_missing"
  | "lead_not_dialable"
  | "dnc"
  | "completed_in_convoso"
  | "bad_number_in_convoso"
  | "not_due"
  | "fleet_limit"
  | "waiting_for_result"
  | "placed"
  | "not_placed"
  | "ambiguous_unresolved"
  /** Bland could not be asked about an open call: asked again later, the call never guessed not placed. */
  | "bland_unreachable"
  | "reconciled";
