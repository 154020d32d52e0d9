import {
  findLead,
  inTransaction,
  type Lead,
  lockLead,
  markAttemptPlaced,
  type OpenAttempt,
  writeCompletion,
  writeDial,
  writeSchedule,
} from "@redial/db";
import {
  campaignDayStart,
  type DncCheck,
  fleetLimitSchedule,
  isRedialing,
  isWithinCallingWindow,
  latestSendFor,
  planDial,
} from "@redial/domain";
import { callChecksOf } from "./call-checks-source.ts";
import type { RedialContext } from "./context.ts";
import { parkBadNumberIn } from "./convoso-statuses.ts";
import type { DialDependencies, DialJobResult } from "./dial-dependencies.ts";
import { convosoCheck, evidenceOfDial } from "./dial-evidence.ts";
import { giveBack } from "./give-back.ts";
import { completeLeadIn } from "./lead-actions.ts";
import { type LeadStep, readPlanWrite, STALE, type Stale, unlessStale } from "./read-plan-write.ts";
import { reconcileAttempt, waitForNextCheck } from "./reconcile-attempt.ts";

/**
 * What the dial job does once its plan is written: nothing more, place the call, reconcile the
 * open one, or (nothing written) wait for a DIAL_MAX_CONCURRENT slot and plan again.
 */
type Next =
  | { kind: "done"; result: DialJobResult }
  | { kind: "wait_for_slot" }
  | { kind: "place"; lead: Lead; attemptId: number; dialedAt: Date }
  | { kind: "reconcile"; lead: Lead; attempt: OpenAttempt };

/**
 * The dial job of one lead: read it, plan at the real `now` (planDial: still redialing, not on the
 * DNC list, inside every window, under every cap, no call in progress), and write the plan (the
 * attempt with its evidence, the lead in progress and its job at the reconciliation deadline, a fleet slot), then
 * call Bland. A crash anywhere leaves at most one placed call per attempt and a lead whose job
 * comes back to it.
 */
export async function dialLead(
  ctx: RedialContext,
  deps: DialDependencies,
  leadId: number,
): Promise<DialJobResult> {
  // The DNC checks made before the decision, for its evidence (our own list is read with the lead).
  const checks: DncCheck[] = [];
  const inConvoso = deps.preDialCheck
    ? await settledInConvoso(ctx, deps.preDialCheck, leadId, checks)
    : "other";
  if (inConvoso === "bad_number") return "bad_number_in_convoso";
  if (inConvoso !== "other") return "completed_in_convoso";
  // At DIAL_MAX_CONCURRENT the job waits here for a slot (the worker's watch) and plans again,
  // keeping its turn; past the watch's patience the lead goes back to the schedule.
  let waitForSlot = deps.slotFreed !== undefined;
  const waitingSince = Date.now();
  for (;;) {
    const hold = waitForSlot;
    const next = await readPlanWrite(ctx, leadId, (lead) => planAndWrite(ctx, deps, lead, checks, hold));
    switch (next.kind) {
      case "done":
        return next.result;
      case "wait_for_slot":
        waitForSlot = (await deps.slotFreed?.(waitingSince)) ?? false;
        break;
      case "place":
        return placeCall(ctx, deps, next.lead, next.attemptId, next.dialedAt);
      case "reconcile":
        return reconcileAttempt(ctx, deps, next.lead, next.attempt);
    }
  }
}

async function planAndWrite(
  ctx: RedialContext,
  deps: DialDependencies,
  { db, reading, guard, now }: LeadStep,
  checks: readonly DncCheck[],
  waitForSlot: boolean,
): Promise<Next | Stale> {
  if (!reading) return done("lead_missing");
  const { lead } = reading;
  const calendar = await ctx.calendar.get();
  const plan = planDial({
    facts: reading,
    now,
    policy: ctx.policy,
    calendar,
    checks: await callChecksOf(ctx),
  });
  switch (plan.kind) {
    case "not_dialable":
      return done("lead_not_dialable");
    case "reconcile":
      return reading.open ? { kind: "reconcile", lead, attempt: reading.open } : STALE;
    case "complete_dnc":
      // On our list already (whoever put it there told Convoso): the lead is completed, nothing more.
      return unlessStale(
        await writeCompletion(db, lead.id, guard, {
          complete: "DNC",
          now,
          addToDncList: null,
          convosoSync: null,
        }),
        done("dnc"),
      );
    case "wait":
      return unlessStale(
        await writeSchedule(db, lead.id, guard, { schedule: plan.schedule, now }),
        done(plan.result),
      );
    case "dial": {
      const written = await writeDial(db, lead.id, guard, {
        ...plan,
        // What the dial was decided on: written by the same statement as the attempt.
        evidence: evidenceOfDial(ctx, lead, reading.history, calendar, now, checks),
        limits: deps.limits,
        // DIAL_MAX_PER_DAY counts from the campaign day's start (luxon: only when that cap is set).
        dayStart: deps.limits.maxPerDay === null ? now : campaignDayStart(now, calendar),
      });
      switch (written.kind) {
        case "stale":
          return STALE;
        case "fleet_limit": {
          if (written.limit === "concurrent" && waitForSlot) return { kind: "wait_for_slot" };
          // Nothing of the dial was written: the lead waits, saying why, until the limit may have room.
          const schedule = fleetLimitSchedule(written.limit, deps.limits, now, calendar);
          return unlessStale(await writeSchedule(db, lead.id, guard, { schedule, now }), done("fleet_limit"));
        }
        case "written":
          return {
            kind: "place",
            lead: { ...lead, status: "active", attemptsTotal: plan.attemptsTotal },
            attemptId: written.attemptId,
            dialedAt: plan.dialedAt,
          };
      }
    }
  }
}

const done = (result: DialJobResult): Next => ({ kind: "done", result });

/**
 * A closer already sold to (or DNC'd) this lead in Convoso: complete it instead of dialing; Convoso
 * says its number is bad: park it for the bad-number cooldown. Answers what Convoso said.
 */
async function settledInConvoso(
  ctx: RedialContext,
  check: NonNullable<DialDependencies["preDialCheck"]>,
  leadId: number,
  checks: DncCheck[],
): Promise<"sale" | "dnc" | "bad_number" | "other"> {
  const lead = await findLead(ctx.db, leadId);
  if (!lead || !isRedialing(lead.status)) return "other";
  const status = await check(lead.phone).catch((error: unknown) => {
    ctx.log.warn({ leadId, err: error }, "Convoso pre-dial check failed; dialing on our own state");
    checks.push(convosoCheck(ctx.now(), "unknown", error));
    return "other" as const;
  });
  if (checks.length === 0) checks.push(convosoCheck(ctx.now(), status));
  if (status === "other") return status;
  await inTransaction(ctx.db, async (trx) => {
    const locked = await lockLead(trx, leadId);
    if (!locked || !isRedialing(locked.status)) return;
    if (status === "bad_number") await parkBadNumberIn(ctx, trx, locked.id);
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

/** The lead's calling window closed between the dial's plan and its request to Bland: not sent. */
class WindowClosedBeforeSend extends Error {
  constructor(now: Date) {
    super(`calling window closed at ${now.toISOString()} before the request to Bland left; not placed`);
    this.name = "WindowClosedBeforeSend";
  }
}

/**
 * The dial waited (rate limiter, 429s) past the latest its request may leave (latestSendFor): not
 * sent, so the check that may give the dial back never races a request still on its way to Bland.
 */
class TooLateToSend extends Error {
  constructor(latest: Date) {
    super(`the request to Bland could not leave by ${latest.toISOString()}; not placed`);
    this.name = "TooLateToSend";
  }
}

async function placeCall(
  ctx: RedialContext,
  deps: DialDependencies,
  lead: Lead,
  attemptId: number,
  dialedAt: Date,
): Promise<DialJobResult> {
  const maxTries = deps.maxPlaceTries ?? 4;
  const wait = deps.wait ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const checks = await callChecksOf(ctx);
  const latestSend = latestSendFor(dialedAt, checks);
  // The window was checked when the attempt was recorded; the rate limiter and 429 retries may
  // wait long enough for it to close (a Florida lead at 19:59:58 and Retry-After: 5).
  const beforeSend = async () => {
    const now = ctx.now();
    if (now.getTime() > latestSend.getTime()) throw new TooLateToSend(latestSend);
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
      if (error instanceof WindowClosedBeforeSend || error instanceof TooLateToSend) {
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
        // Not visible yet: the attempt stays open, and the lead's job asks Bland again at the settle
        // time (not at the expected call's end, where the dial put it).
        await waitForNextCheck(ctx, lead.id, attemptId, { dialedAt, placed: false }, checks);
        return "ambiguous_unresolved";
      }
      await giveBack(ctx, deps, lead.id, attemptId, failure.message);
      return "not_placed";
    }
  }
}
