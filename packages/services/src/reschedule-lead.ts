import type { Database } from "@redial/db";
import {
  attemptHistory,
  type Lead,
  type LeadChanges,
  type LeadSchedule,
  saveLeadSchedule,
  type Transaction,
} from "@redial/db";
import {
  type AttemptSnapshot,
  type DialDecision,
  decideNextDial,
  historyStart,
  type LeadSnapshot,
} from "@redial/domain";
import { cancelDialJob, scheduleDialJob } from "@redial/jobs";
import type { RedialContext } from "./context.ts";

export function leadSnapshot(lead: Lead): LeadSnapshot {
  return {
    status: lead.status,
    finalOutcome: lead.finalOutcome,
    timezones: lead.timezones,
    states: lead.states,
    badNumberUntil: lead.badNumberUntil,
    callbackAt: lead.callbackAt,
    attemptsTotal: lead.attemptsTotal,
  };
}

/** Ask the rules engine about a (locked) lead at `now`, with its recent history. */
export async function decideForLead(
  ctx: RedialContext,
  trx: Transaction<Database>,
  lead: Lead,
  now: Date,
): Promise<DialDecision> {
  return decideFromHistory(ctx, lead, await attemptHistory(trx, lead.id, historyStart(now)), now);
}

/** decideForLead with the lead's history already read (at least every call since historyStart(now)). */
export async function decideFromHistory(
  ctx: RedialContext,
  lead: Lead,
  attempts: readonly AttemptSnapshot[],
  now: Date,
): Promise<DialDecision> {
  const calendar = await ctx.calendar.get();
  return decideNextDial({ lead: leadSnapshot(lead), attempts, policy: ctx.policy, calendar, now });
}

/**
 * Make the lead's stored schedule and its one dial job agree with the rules engine, in the
 * caller's transaction (the lead must be locked). Returns the decision it applied.
 */
export async function rescheduleLead(
  ctx: RedialContext,
  trx: Transaction<Database>,
  lead: Lead,
): Promise<DialDecision> {
  const now = ctx.now();
  const decision = await decideForLead(ctx, trx, lead, now);
  await applyDecision(ctx, trx, lead, decision, now);
  return decision;
}

/**
 * Store the decision on the lead (with `changes` the caller's transaction also makes to it, in the
 * same statement) and move or cancel its one dial job.
 */
export async function applyDecision(
  ctx: RedialContext,
  trx: Transaction<Database>,
  lead: Lead,
  decision: DialDecision,
  now: Date,
  changes: LeadChanges = {},
): Promise<void> {
  const schedule = scheduleFor(lead, decision, now, ctx.reconcileAfterMs);
  await saveLeadSchedule(trx, lead.id, schedule, changes);
  if (schedule.nextAttemptAt && (schedule.status === "active" || schedule.status === "daily_max_reached")) {
    await scheduleDialJob(ctx.boss, trx, lead.id, schedule.nextAttemptAt, now);
  } else {
    await cancelDialJob(ctx.boss, trx, lead.id);
  }
}

/** What the lead row says after a decision: its status, when it is next looked at, and why it waits. */
export function scheduleFor(
  lead: Lead,
  decision: DialDecision,
  now: Date,
  reconcileAfterMs: number,
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
      // The job wakes up when the call should long be over, to reconcile a lost webhook.
      return {
        status: "active",
        nextAttemptAt: new Date(Math.max(decision.since.getTime() + reconcileAfterMs, now.getTime())),
        waitingReason: "call_in_progress: waiting for the call's result",
      };
    case "never":
      if (decision.reason === "completed") {
        return { status: "completed", nextAttemptAt: null, waitingReason: decision.detail };
      }
      return {
        status: lead.status === "completed" ? "completed" : "paused",
        nextAttemptAt: null,
        waitingReason: `${decision.reason}: ${decision.detail}`,
      };
    default:
      return assertNever(decision);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unhandled decision ${JSON.stringify(value)}`);
}
