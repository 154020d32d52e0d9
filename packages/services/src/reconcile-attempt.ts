import {
  findLead,
  findOrphanOpenAttempts,
  type Lead,
  markAttemptPlaced,
  type OpenAttempt,
  writeSchedule,
} from "@redial/db";
import { hasCallEnded, isRedialing, stillRunningSchedule } from "@redial/domain";
import type { RedialContext } from "./context.ts";
import type { DialDependencies, DialJobResult } from "./dial-dependencies.ts";
import { giveBack } from "./give-back.ts";
import { readPlanWrite, unlessStale } from "./read-plan-write.ts";
import { recordCallResult } from "./record-call-result.ts";

/** A call Bland still reports running this many reconcile delays after its dial is taken as ended. */
const STILL_RUNNING_GIVE_UP = 4;

/**
 * A call with no result past its deadline (lost webhook, crash, ambiguous placement): ask Bland.
 * Ended ⇒ processed like a webhook; still running ⇒ look again later; never placed ⇒ given back.
 */
export async function reconcileAttempt(
  ctx: RedialContext,
  deps: DialDependencies,
  lead: Pick<Lead, "id" | "phone">,
  attempt: OpenAttempt,
): Promise<DialJobResult> {
  const callId =
    attempt.blandCallId ??
    (await deps.dialer.findPlacedCall({
      attemptId: attempt.attemptId,
      phone: lead.phone,
      since: new Date(attempt.dialedAt.getTime() - 120_000),
    }));
  const call = callId ? await deps.dialer.getCall(callId) : undefined;
  if (!callId || !call) {
    await giveBack(ctx, deps, lead.id, attempt.attemptId, "no call found at Bland for this attempt");
    return "not_placed";
  }
  if (!attempt.blandCallId) await markAttemptPlaced(ctx.db, attempt.attemptId, callId);
  // Bland ends a call at its max duration: one still "running" this long after its deadline has a
  // status we do not read as ended. It is recorded as ended with what Bland says of it, so neither
  // the lead nor a DIAL_MAX_CONCURRENT slot waits on it for ever.
  const overdue =
    ctx.now().getTime() - attempt.dialedAt.getTime() > STILL_RUNNING_GIVE_UP * ctx.reconcileAfterMs;
  if (hasCallEnded(call) || overdue) {
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
  await readPlanWrite(ctx, lead.id, async ({ db, reading, guard, now }) => {
    if (!reading || !isRedialing(reading.lead.status)) return undefined;
    const schedule = stillRunningSchedule(now, ctx.reconcileAfterMs);
    return unlessStale(await writeSchedule(db, lead.id, guard, { schedule, now }), undefined);
  });
  return "waiting_for_result";
}

/**
 * Every minute: the calls past their reconcile deadline whose lead was completed or paused while
 * they ran (stop, DNC, a Convoso status, pause) and whose webhook never came. Their lead's job was
 * removed with the lead, so nothing else would ask Bland about them, and each would hold a
 * DIAL_MAX_CONCURRENT slot for good. Each is reconciled like a lost webhook (the result recorded
 * on the attempt, the lead left as it is); one that fails is logged and tried again next minute.
 * Returns how many were looked at.
 */
export async function reconcileOrphanCalls(
  ctx: RedialContext,
  deps: DialDependencies,
  limit = 100,
): Promise<number> {
  const overdue = await findOrphanOpenAttempts(
    ctx.db,
    new Date(ctx.now().getTime() - ctx.reconcileAfterMs),
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
