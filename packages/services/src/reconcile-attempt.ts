import {
  findLead,
  findOrphanOpenAttempts,
  type Lead,
  markAttemptPlaced,
  type OpenAttempt,
  writeSchedule,
} from "@redial/db";
import {
  type BlandCall,
  type CallChecks,
  callCheckSchedule,
  hasCallEnded,
  isCallPastGivingUp,
  isRedialing,
  type OpenCall,
} from "@redial/domain";
import { callChecksOf } from "./call-checks-source.ts";
import type { RedialContext } from "./context.ts";
import type { DialDependencies, DialJobResult } from "./dial-dependencies.ts";
import { giveBack } from "./give-back.ts";
import { readPlanWrite, unlessStale } from "./read-plan-write.ts";
import { recordCallResult } from "./record-call-result.ts";

/** How far before its dial a call Bland lists may have been created (clocks differ). */
const LIST_SLACK_MS = 120_000;

/**
 * A call without its result whose check has come (call-checks.ts: a dial without Bland's call id
 * after the settle time, a placed call past its expected length): ask Bland, by the call id or by
 * listing the calls to the lead's number since the dial. Not placed ⇒ given back (it counts
 * nowhere, its slot is free, the lead is dialed again as its rules allow); placed and ended ⇒
 * recorded like a webhook; placed and running ⇒ bound to its call id and asked about again later.
 * Bland unreachable ⇒ asked again later, at growing gaps: never taken as not placed (a double
 * dial is worse than a late redial).
 */
export async function reconcileAttempt(
  ctx: RedialContext,
  deps: DialDependencies,
  lead: Pick<Lead, "id" | "phone">,
  attempt: OpenAttempt,
): Promise<DialJobResult> {
  const checks = await callChecksOf(ctx);
  let found: { callId: string; call: BlandCall } | undefined;
  try {
    found = await askBland(deps, lead, attempt);
  } catch (error) {
    ctx.log.warn(
      { leadId: lead.id, attemptId: attempt.attemptId, err: error },
      "Bland could not be asked about an open call; asking again later",
    );
    const open = { dialedAt: attempt.dialedAt, placed: attempt.blandCallId !== null };
    await waitForNextCheck(ctx, lead.id, attempt.attemptId, open, checks);
    return "bland_unreachable";
  }
  if (!found) {
    // The settle time passed and its request can no longer leave (latestSendFor): redial by the rules.
    await giveBack(
      ctx,
      { ...deps, retryNotPlacedAfterMs: 0 },
      lead.id,
      attempt.attemptId,
      "no call found at Bland for this attempt",
      attempt.blandCallId,
    );
    return "not_placed";
  }
  const { callId, call } = found;
  if (!attempt.blandCallId) await markAttemptPlaced(ctx.db, attempt.attemptId, callId);
  const open = { dialedAt: attempt.dialedAt, placed: true };
  const givingUp = isCallPastGivingUp(open, ctx.now(), checks);
  if (hasCallEnded(call) || givingUp) {
    if (!hasCallEnded(call))
      ctx.log.warn(
        { attemptId: attempt.attemptId, callId, status: call.status ?? call.queue_status },
        "call still running at Bland long past its deadline: recorded as ended",
      );
    await recordCallResult(
      ctx,
      { ...call, completed: true, metadata: { ...(call.metadata ?? {}), attempt_id: attempt.attemptId } },
      "reconcile",
    );
    return "reconciled";
  }
  await waitForNextCheck(ctx, lead.id, attempt.attemptId, open, checks);
  return "waiting_for_result";
}

/** Bland's call for this attempt (by its id, or listed by number since the dial), or undefined when it has none. */
async function askBland(
  deps: DialDependencies,
  lead: Pick<Lead, "phone">,
  attempt: OpenAttempt,
): Promise<{ callId: string; call: BlandCall } | undefined> {
  const callId =
    attempt.blandCallId ??
    (await deps.dialer.findPlacedCall({
      attemptId: attempt.attemptId,
      phone: lead.phone,
      since: new Date(attempt.dialedAt.getTime() - LIST_SLACK_MS),
    }));
  if (!callId) return undefined;
  const call = await deps.dialer.getCall(callId);
  return call ? { callId, call } : undefined;
}

/** The lead (still redialing, its call still open) waits for the call's next check. */
export async function waitForNextCheck(
  ctx: RedialContext,
  leadId: number,
  attemptId: number,
  call: OpenCall,
  checks: CallChecks,
): Promise<void> {
  await readPlanWrite(ctx, leadId, async ({ db, reading, guard, now }) => {
    if (!reading || !isRedialing(reading.lead.status) || reading.open?.attemptId !== attemptId)
      return undefined;
    const schedule = callCheckSchedule(call, now, checks);
    return unlessStale(await writeSchedule(db, leadId, guard, { schedule, now }), undefined);
  });
}

/**
 * Every minute: the open calls whose lead was completed or paused while they ran (stop, DNC, a
 * Convoso status, pause) and whose check has come (a dial without its call id past the settle
 * time, a placed call past its expected length). Their lead's job was removed with the lead, so
 * nothing else would ask Bland about them, and each would hold a DIAL_MAX_CONCURRENT slot for
 * good. Each is reconciled like a lost webhook (the result recorded on the attempt, the lead left
 * as it is); one that fails is logged and tried again next minute. Returns how many were looked at.
 */
export async function reconcileOrphanCalls(
  ctx: RedialContext,
  deps: DialDependencies,
  limit = 100,
): Promise<number> {
  const checks = await callChecksOf(ctx);
  const now = ctx.now().getTime();
  const overdue = await findOrphanOpenAttempts(
    ctx.db,
    {
      unplacedBefore: new Date(now - checks.settleAfterMs),
      placedBefore: new Date(now - checks.expectedCallMs),
    },
    limit,
  );
  for (const attempt of overdue) {
    try {
      const lead = await findLead(ctx.db, attempt.leadId);
      if (lead)
        await reconcileAttempt(ctx, deps, lead, {
          attemptId: attempt.id,
          dialedAt: attempt.dialedAt,
          blandCallId: attempt.blandCallId,
        });
    } catch (error) {
      ctx.log.error(
        { attemptId: attempt.id, err: error },
        "orphan call could not be reconciled; next minute tries again",
      );
    }
  }
  return overdue.length;
}
