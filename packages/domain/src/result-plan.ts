import type { CallChecks } from "./call-checks.ts";
import {
  type AttemptResult,
  type AttemptState,
  attemptResult,
  type BlandCall,
  callbackZoneOf,
} from "./call-facts.ts";
import type { LeadFacts } from "./dial-plan.ts";
import { completionBy } from "./lead-completion.ts";
import { isRedialing, type LeadSchedule, scheduleFor } from "./lead-schedule.ts";
import { decideNextDial, historyStart } from "./next-dial.ts";
import { type NormalizedOutcome, normalizeOutcome } from "./normalize-outcome.ts";
import { endsRedialing, type FinalOutcome, type Outcome } from "./outcome.ts";
import type { RedialPolicy } from "./redial-policy.ts";
import type { SchedulerConfig } from "./scheduler-config.ts";

/** What a call's result changes on its lead. */
export interface LeadResultChange {
  lastOutcome: Outcome;
  /** The callback the person asked for (CALLBACK, in the future), else none. */
  callbackAt: Date | null;
  /** A bad number is not dialed before this; null keeps what the lead had. */
  badNumberUntil: Date | null;
  /** Then: completed with its first final outcome, its next dial scheduled, or left as it is (paused, completed). */
  next:
    | { kind: "complete"; outcome: FinalOutcome }
    | { kind: "schedule"; schedule: LeadSchedule }
    | { kind: "keep" };
}

export type ResultPlan =
  /** The attempt already has its result: nothing changes. */
  | { kind: "duplicate" }
  | {
      kind: "record";
      outcome: Outcome;
      attempt: AttemptResult;
      lead: LeadResultChange;
      addToDncList: boolean;
      /** The convoso-sync job's outcome and DNC flag; null when Convoso has nothing new to learn. */
      convosoSync: { outcome: Outcome; dnc: boolean } | null;
    };

export interface PlanResultInput {
  /** The lead of the attempt, as read. */
  facts: LeadFacts;
  /** The attempt the call is bound to (bindCall), as read. */
  attempt: { id: number; state: AttemptState; dialedAt: Date };
  call: BlandCall;
  callId: string;
  source: "webhook" | "reconcile";
  /** Where the lead lives (its ZIP's zone), for a callback time said without an offset. */
  homeZone: string | null;
  now: Date;
  policy: RedialPolicy;
  calendar: SchedulerConfig;
  /** When a call without its result is asked about at Bland. */
  checks: CallChecks;
}

/**
 * What an ended call's result writes: the attempt's result columns; on its lead the last
 * outcome, callback and bad-number cooldown, then completion (SALE/DNC, by completionBy's
 * precedence) or the next dial as the rules engine decides it with this call ended now; the
 * phone on our DNC list for a DNC; what Convoso is told. A second result for the attempt changes nothing.
 */
export function planResult(input: PlanResultInput): ResultPlan {
  const { facts, attempt, call, now, policy, calendar } = input;
  if (attempt.state === "ended") return { kind: "duplicate" };
  const { lead } = facts;
  const result = normalizeOutcome(call, {
    answeredMinSeconds: policy.answeredMinSeconds,
    callbackZone: callbackZoneOf({ homeZone: input.homeZone, timezones: lead.timezones }, calendar.timezone),
    now,
  });
  const changes = outcomeChanges(result, now, policy);
  const { outcome } = result;
  const record = (
    next: LeadResultChange["next"],
    addToDncList: boolean,
    convosoSync: { outcome: Outcome; dnc: boolean } | null,
  ): ResultPlan => ({
    kind: "record",
    outcome,
    attempt: attemptResult(call, input.callId, result, input.source, now),
    lead: { ...changes, next },
    addToDncList,
    convosoSync,
  });
  if (endsRedialing(outcome)) {
    const completion = completionBy(lead, outcome);
    const next = completion.complete ? { kind: "complete" as const, outcome: completion.complete } : KEEP;
    return record(next, completion.addToDncList, completion.convosoSync);
  }
  // A completed lead's Convoso status is its final outcome: a later call does not change it.
  const convosoSync = lead.status === "completed" ? null : { outcome, dnc: false };
  if (!isRedialing(lead.status)) return record(KEEP, false, convosoSync);
  const updated = {
    ...lead,
    callbackAt: changes.callbackAt,
    badNumberUntil: changes.badNumberUntil ?? lead.badNumberUntil,
  };
  const decision = decideNextDial({
    lead: updated,
    attempts: historyWithEnded(facts, attempt, now),
    policy,
    calendar,
    now,
  });
  const schedule = scheduleFor(updated, decision, now, input.checks);
  return record({ kind: "schedule", schedule }, false, convosoSync);
}

const KEEP = Object.freeze({ kind: "keep" as const });

/** What a result changes on its lead besides the schedule: last outcome, callback, bad-number cooldown. */
function outcomeChanges(result: NormalizedOutcome, now: Date, policy: RedialPolicy) {
  return {
    lastOutcome: result.outcome,
    callbackAt:
      result.outcome === "CALLBACK" && result.callbackAt && result.callbackAt > now
        ? result.callbackAt
        : null,
    badNumberUntil: result.badNumber
      ? new Date(now.getTime() + policy.badNumberCooldownDays * 86_400_000)
      : null,
  };
}

/** The lead's history with this attempt ended now (added when it was not counted: given back, then placed after all). */
function historyWithEnded(
  facts: LeadFacts,
  attempt: { id: number; dialedAt: Date },
  now: Date,
): { dialedAt: Date; endedAt: Date | null }[] {
  const history = facts.history.map((entry) =>
    entry.attemptId === attempt.id ? { dialedAt: entry.dialedAt, endedAt: now } : entry,
  );
  if (!facts.history.some((entry) => entry.attemptId === attempt.id) && attempt.dialedAt >= historyStart(now))
    history.push({ dialedAt: attempt.dialedAt, endedAt: now });
  return history.sort((a, b) => a.dialedAt.getTime() - b.dialedAt.getTime());
}
