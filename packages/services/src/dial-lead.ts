import {
  type CallAttempt,
  completeLead,
  type Database,
  findLead,
  insertAttempt,
  inTransaction,
  type Lead,
  loadDialFacts,
  lockLead,
  markAttemptPlaced,
  saveLeadSchedule,
  type Transaction,
} from "@redial/db";
import { campaignDay, historyStart, isWithinCallingWindow } from "@redial/domain";
import { cancelDialJob, scheduleDialJob } from "@redial/jobs";
import type { RedialContext } from "./context.ts";
import { parkBadNumberIn } from "./convoso-statuses.ts";
import type { DialDependencies, DialJobResult } from "./dial-dependencies.ts";
import { planDialInOneStatement } from "./dial-in-one-statement.ts";
import { FleetLimitReached, reserveDialCapacity } from "./dial-limits.ts";
import { completeLeadIn } from "./lead-actions.ts";
import { giveBack, reconcileAttempt } from "./reconcile-attempt.ts";
import { applyDecision, decideFromHistory } from "./reschedule-lead.ts";

export type Plan =
  | { kind: "done"; result: DialJobResult }
  | { kind: "dial"; lead: Lead; attemptId: number }
  | { kind: "reconcile"; lead: Lead; attempt: CallAttempt };

/**
 * The dial job of one lead. In one transaction: lock the lead, re-check everything at the real
 * `now` (still active, not DNC, inside the window, under every cap, no call in progress), record
 * the attempt and move the lead's job to the reconciliation deadline; commit. Only then call
 * Bland. A crash anywhere leaves at most one placed call per attempt and a lead whose job
 * comes back to it.
 */
export async function dialLead(
  ctx: RedialContext,
  deps: DialDependencies,
  leadId: number,
): Promise<DialJobResult> {
  const inConvoso = deps.preDialCheck ? await settledInConvoso(ctx, deps.preDialCheck, leadId) : "other";
  if (inConvoso === "bad_number") return "bad_number_in_convoso";
  if (inConvoso !== "other") return "completed_in_convoso";
  let plan: Plan;
  try {
    plan =
      (await planDialInOneStatement(ctx, deps, leadId)) ??
      (await inTransaction(ctx.db, (trx) => planDial(ctx, deps, trx, leadId)));
  } catch (error) {
    if (error instanceof FleetLimitReached) return holdForFleetLimit(ctx, leadId, error);
    throw error;
  }
  switch (plan.kind) {
    case "done":
      return plan.result;
    case "dial":
      return placeCall(ctx, deps, plan.lead, plan.attemptId);
    case "reconcile":
      return reconcileAttempt(ctx, deps, plan.lead, plan.attempt);
  }
}

/**
 * A closer already sold to (or DNC'd) this lead in Convoso: complete it instead of dialing; Convoso
 * says its number is bad: park it for the bad-number cooldown. Answers what Convoso said.
 */
async function settledInConvoso(
  ctx: RedialContext,
  check: NonNullable<DialDependencies["preDialCheck"]>,
  leadId: number,
): Promise<"sale" | "dnc" | "bad_number" | "other"> {
  const lead = await findLead(ctx.db, leadId);
  if (!lead || lead.status === "completed" || lead.status === "paused") return "other";
  const status = await check(lead.phone).catch((error: unknown) => {
    ctx.log.warn({ leadId, err: error }, "Convoso pre-dial check failed; dialing on our own state");
    return "other" as const;
  });
  if (status === "other") return status;
  await inTransaction(ctx.db, async (trx) => {
    const locked = await lockLead(trx, leadId);
    if (!locked || locked.status === "completed" || locked.status === "paused") return;
    if (status === "bad_number") await parkBadNumberIn(ctx, trx, locked);
    else
      await completeLeadIn(
        ctx,
        trx,
        locked,
        status === "sale" ? "SALE" : "DNC",
        "Convoso status before dial",
      );
  });
  return status;
}

async function planDial(
  ctx: RedialContext,
  deps: DialDependencies,
  trx: Transaction<Database>,
  leadId: number,
): Promise<Plan> {
  const lead = await lockLead(trx, leadId);
  if (!lead) return { kind: "done", result: "lead_missing" };
  if (lead.status === "completed" || lead.status === "paused")
    return { kind: "done", result: "lead_not_dialable" };
  const now = ctx.now();
  // The open call, the DNC flag and the recent calls in one statement, after the lock.
  const { open, onDncList, history } = await loadDialFacts(trx, lead, historyStart(now));
  if (open) {
    if (now.getTime() - open.dialedAt.getTime() >= ctx.reconcileAfterMs)
      return { kind: "reconcile", lead, attempt: open };
    await applyDecision(ctx, trx, lead, { kind: "in_progress", since: open.dialedAt }, now);
    return { kind: "done", result: "waiting_for_result" };
  }
  if (onDncList) {
    await completeLead(trx, lead.id, "DNC", now);
    await cancelDialJob(ctx.boss, trx, lead.id);
    return { kind: "done", result: "dnc" };
  }
  const decision = await decideFromHistory(ctx, lead, history, now);
  if (decision.kind !== "dial_now") {
    await applyDecision(ctx, trx, lead, decision, now);
    return { kind: "done", result: "not_due" };
  }
  const calendar = await ctx.calendar.get();
  // The lead is locked: its attempts_total is current.
  const attemptNumber = lead.attemptsTotal + 1;
  const attemptId = await insertAttempt(trx, {
    leadId: lead.id,
    attemptNumber,
    campaignDay: campaignDay(now, calendar),
    dialedAt: now,
  });
  await applyDecision(ctx, trx, lead, { kind: "in_progress", since: now }, now, {
    attemptsTotal: attemptNumber,
  });
  // Last, so a slot (and the hourly/daily lock, when those caps are set) is held only for the commit.
  const capacity = await reserveDialCapacity(trx, deps.limits, calendar, now, attemptId);
  if (!capacity.ok) throw new FleetLimitReached(capacity.retryAt, capacity.reason);
  return { kind: "dial", lead, attemptId };
}

/** The lead's calling window closed between the dial's plan and its request to Bland: not sent. */
class WindowClosedBeforeSend extends Error {
  constructor(now: Date) {
    super(`calling window closed at ${now.toISOString()} before the request to Bland left; not placed`);
    this.name = "WindowClosedBeforeSend";
  }
}

/** Over a fleet limit: the lead waits (and says why) until the limit may have room again. */
async function holdForFleetLimit(
  ctx: RedialContext,
  leadId: number,
  limit: FleetLimitReached,
): Promise<DialJobResult> {
  await inTransaction(ctx.db, async (trx) => {
    const lead = await lockLead(trx, leadId);
    if (!lead || lead.status === "completed" || lead.status === "paused") return;
    await saveLeadSchedule(trx, leadId, {
      status: "active",
      nextAttemptAt: limit.retryAt,
      waitingReason: limit.message,
    });
    await scheduleDialJob(ctx.boss, trx, leadId, limit.retryAt, ctx.now());
  });
  return "fleet_limit";
}

async function placeCall(
  ctx: RedialContext,
  deps: DialDependencies,
  lead: Lead,
  attemptId: number,
): Promise<DialJobResult> {
  const maxTries = deps.maxPlaceTries ?? 4;
  const wait = deps.wait ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  // The window was checked when the attempt was recorded; the rate limiter and 429 retries may
  // wait long enough for it to close (a Florida lead at 19:59:58 and Retry-After: 5).
  const beforeSend = async () => {
    const now = ctx.now();
    if (!isWithinCallingWindow(now, lead, await ctx.calendar.get())) throw new WindowClosedBeforeSend(now);
  };
  for (let attempt = 1; ; attempt++) {
    try {
      const { callId } = await deps.dialer.place({
        leadId: lead.id,
        attemptId,
        phone: lead.phone,
        beforeSend,
      });
      await markAttemptPlaced(ctx.db, attemptId, callId);
      return "placed";
    } catch (error) {
      if (error instanceof WindowClosedBeforeSend) {
        ctx.log.warn({ leadId: lead.id, attemptId }, error.message);
        await giveBack(ctx, deps, lead.id, attemptId, error.message);
        return "not_placed";
      }
      const failure = deps.dialer.classify(error);
      if (failure.kind === "retry" && attempt < maxTries) {
        ctx.log.warn(
          { leadId: lead.id, attemptId, attempt, error: failure.message },
          "dial not placed, retrying",
        );
        await wait(failure.afterMs);
        continue;
      }
      if (failure.kind === "ambiguous") {
        ctx.log.warn(
          { leadId: lead.id, attemptId, error: failure.message },
          "dial outcome ambiguous, reconciling",
        );
        const callId = await deps.dialer
          .findPlacedCall({ attemptId, phone: lead.phone, since: new Date(ctx.now().getTime() - 120_000) })
          .catch(() => undefined);
        if (callId) {
          await markAttemptPlaced(ctx.db, attemptId, callId);
          return "placed";
        }
        // Not visible yet: the attempt stays open and the lead's job reconciles it at the deadline.
        return "ambiguous_unresolved";
      }
      await giveBack(ctx, deps, lead.id, attemptId, failure.message);
      return "not_placed";
    }
  }
}
