import { type CallChecks, nextCallCheck, type OpenCall } from "./call-checks.ts";
import type { DialDecision } from "./dial-decision.ts";
import { assertNever, type FinalOutcome, type LeadStatus } from "./outcome.ts";

/** What the lead row says of its next dial: its status, when it is looked at next, and why it waits. */
export interface LeadSchedule {
  status: LeadStatus;
  nextAttemptAt: Date | null;
  waitingReason: string | null;
}

/** The statuses of a lead being redialed (isRedialing), for queries. */
export const REDIALING_STATUSES: readonly LeadStatus[] = Object.freeze(["active", "daily_max_reached"]);

/**
 * The lead is being redialed (active, or waiting for the next calling day at its daily max): it
 * has exactly one queued dial job, due at its `nextAttemptAt`. Paused and completed leads have none.
 */
export function isRedialing(status: LeadStatus): boolean {
  switch (status) {
    case "active":
    case "daily_max_reached":
      return true;
    case "paused":
    case "completed":
      return false;
    default:
      return assertNever(status);
  }
}

/** What the lead row says after a decision of the rules engine. */
export function scheduleFor(
  lead: { status: LeadStatus },
  decision: DialDecision,
  now: Date,
  checks: CallChecks,
): LeadSchedule {
  switch (decision.kind) {
    case "dial_now":
      return { status: "active", nextAttemptAt: now, waitingReason: null };
    case "wait":
      return {
        status: decision.reason === "daily_max_reached" ? "daily_max_reached" : "active",
        nextAttemptAt: decision.at,
        waitingReason: `${decision.reason}: ${decision.detail}`,
      };
    case "in_progress":
      // The job wakes up when the call is next asked about at Bland (call-checks.ts).
      return callCheckSchedule({ dialedAt: decision.since, placed: decision.placed ?? false }, now, checks);
    case "never":
      if (decision.reason === "completed")
        return { status: "completed", nextAttemptAt: null, waitingReason: decision.detail };
      return {
        status: lead.status === "completed" ? "completed" : "paused",
        nextAttemptAt: null,
        waitingReason: `${decision.reason}: ${decision.detail}`,
      };
    default:
      return assertNever(decision);
  }
}

/**
 * When the lead's one dial job is due, as seconds from `now` to the millisecond (never negative):
 * the job queue is handed a delay measured on our clock, so the database's clock never matters.
 * Null when the lead has no job (not redialing).
 */
export function dialJobDelaySeconds(schedule: LeadSchedule, now: Date): number | null {
  if (!isRedialing(schedule.status) || schedule.nextAttemptAt === null) return null;
  return Number(Math.max(0, (schedule.nextAttemptAt.getTime() - now.getTime()) / 1000).toFixed(3));
}

/** A lead completed with its final outcome: never dialed again, no job. */
export function completedSchedule(outcome: FinalOutcome): LeadSchedule {
  return { status: "completed", nextAttemptAt: null, waitingReason: `completed: ${outcome}` };
}

/** A dial Bland certainly did not place: nothing counts, the lead is looked at again after `retryAfterMs`. */
export function notPlacedSchedule(now: Date, retryAfterMs: number, reason: string): LeadSchedule {
  return {
    status: "active",
    nextAttemptAt: new Date(now.getTime() + retryAfterMs),
    waitingReason: `dial_not_placed: ${reason}`,
  };
}

/** A call without its result: the lead waits for it, its job due when Bland is next asked about it. */
export function callCheckSchedule(call: OpenCall, now: Date, checks: CallChecks): LeadSchedule {
  return {
    status: "active",
    nextAttemptAt: nextCallCheck(call, now, checks),
    waitingReason: call.placed
      ? "call_in_progress: waiting for the call's result"
      : "call_in_progress: waiting for Bland to say whether the call was placed",
  };
}
