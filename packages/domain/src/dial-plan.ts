import { type CallChecks, isCallCheckDue } from "./call-checks.ts";
import type { ConsentSnapshot } from "./consent.ts";
import type { AttemptSnapshot, LeadSnapshot } from "./dial-decision.ts";
import { callCheckSchedule, isRedialing, type LeadSchedule, scheduleFor } from "./lead-schedule.ts";
import { decideNextDial } from "./next-dial.ts";
import type { RedialPolicy } from "./redial-policy.ts";
import { campaignDay, type SchedulerConfig } from "./scheduler-config.ts";

/** A lead as a decision reads it: the lead, its recent calls, its open call, the DNC list. */
export interface LeadFacts {
  lead: LeadSnapshot;
  /** Every placed (or possibly placed) call dialed since historyStart(now), oldest first. */
  history: readonly (AttemptSnapshot & { attemptId: number })[];
  /** The lead's call with no result yet, whenever it was dialed (the dialer never starts a second). */
  open: { attemptId: number; dialedAt: Date; blandCallId: string | null } | null;
  onDncList: boolean;
}

/** What the dial job of a lead does now. */
export type DialPlan =
  /** Completed or paused: nothing to do (the job should not exist). */
  | { kind: "not_dialable" }
  /** A call is open and due to be asked about (call-checks.ts): ask Bland what became of it. */
  | { kind: "reconcile"; attemptId: number }
  /** Its phone is on our DNC list: complete it as DNC. */
  | { kind: "complete_dnc" }
  /** Not now: a call is still running (`waiting_for_result`) or a rule says later (`not_due`). */
  | { kind: "wait"; result: "waiting_for_result" | "not_due"; schedule: LeadSchedule }
  /**
   * Dial: the lead's calls placed or in flight with this one (its attempts_total: a dial given
   * back later takes itself off), the campaign day, and the lead's schedule while the call runs.
   */
  | { kind: "dial"; attemptsTotal: number; campaignDay: string; dialedAt: Date; schedule: LeadSchedule };

export interface PlanDialInput {
  facts: LeadFacts;
  now: Date;
  policy: RedialPolicy;
  calendar: SchedulerConfig;
  /** When a call without its result is asked about at Bland. */
  checks: CallChecks;
}

/**
 * The dial job's decision at `now`: still redialing, no call open (one past its deadline is
 * reconciled), not on the DNC list, and the rules engine says dial now — else why not, and the
 * schedule the lead keeps meanwhile.
 */
export function planDial({ facts, now, policy, calendar, checks }: PlanDialInput): DialPlan {
  const { lead, open } = facts;
  if (!isRedialing(lead.status)) return { kind: "not_dialable" };
  if (open) {
    const call = { dialedAt: open.dialedAt, placed: open.blandCallId !== null };
    if (isCallCheckDue(call, now, checks)) return { kind: "reconcile", attemptId: open.attemptId };
    return { kind: "wait", result: "waiting_for_result", schedule: callCheckSchedule(call, now, checks) };
  }
  if (facts.onDncList) return { kind: "complete_dnc" };
  const decision = decideNextDial({ lead, attempts: facts.history, policy, calendar, now });
  if (decision.kind !== "dial_now")
    return { kind: "wait", result: "not_due", schedule: scheduleFor(lead, decision, now, checks) };
  return {
    kind: "dial",
    attemptsTotal: lead.attemptsTotal + 1,
    campaignDay: campaignDay(now, calendar),
    dialedAt: now,
    // Bland answers with the call's id at once: first asked about at the expected call's end (a dial
    // left without an id moves its job to the settle time: dial-lead.ts).
    schedule: callCheckSchedule({ dialedAt: now, placed: true }, now, checks),
  };
}

/** The rules engine's schedule for a lead as read (intake, resume, heal, relocate). */
export function planSchedule({ facts, now, policy, calendar, checks }: PlanDialInput): LeadSchedule {
  const decision = decideNextDial({ lead: facts.lead, attempts: facts.history, policy, calendar, now });
  return scheduleFor(facts.lead, decision, now, checks);
}

/**
 * A lead about to be inserted, as a decision would read it once stored: active, never called, no
 * callback, no bad number, no call open, not on the DNC list (its insert skips a listed phone), in
 * its candidate zones and states, with the consent its first grant puts on record
 * (firstGrantOnRecord). planSchedule over these is a new lead's first schedule, written with its row.
 */
export function newLeadFacts(lead: {
  timezones: string[];
  states: string[];
  consent: ConsentSnapshot | null;
}): LeadFacts {
  return {
    lead: {
      status: "active",
      finalOutcome: null,
      timezones: lead.timezones,
      states: lead.states,
      badNumberUntil: null,
      callbackAt: null,
      attemptsTotal: 0,
      consent: lead.consent,
    },
    history: [],
    open: null,
    onDncList: false,
  };
}
