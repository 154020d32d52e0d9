import { beginDial, findDialReading, isRetryableTransactionError } from "@redial/db";
import { campaignDay, historyStart } from "@redial/domain";
import { dialJobDelaySeconds } from "@redial/jobs";
import type { RedialContext } from "./context.ts";
import type { DialDependencies } from "./dial-dependencies.ts";
import type { Plan } from "./dial-lead.ts";
import { CONCURRENT_LIMIT_RETRY_MS, FleetLimitReached } from "./dial-limits.ts";
import { decideFromHistory, scheduleFor } from "./reschedule-lead.ts";

/**
 * planDial's common case in two statements instead of eight: read the lead's facts without a
 * lock, decide at `now`, then record the attempt, the lead in progress, its job at the
 * reconciliation deadline and a slot in one statement that first checks, under the lead's lock,
 * that nothing read has changed (migration 0010's redial_dial_begin). Undefined whenever the
 * lead needs more than a plain dial (a call open, DNC, not due, the hourly or daily cap set) or
 * changed meanwhile: the caller then plans it in the locked transaction, which handles all cases.
 * Over DIAL_MAX_CONCURRENT it throws FleetLimitReached, nothing written, as planDial does.
 */
export async function planDialInOneStatement(
  ctx: RedialContext,
  deps: DialDependencies,
  leadId: number,
): Promise<Plan | undefined> {
  if (!ctx.singleStatementWrites || deps.limits.maxPerHour !== null || deps.limits.maxPerDay !== null)
    return undefined;
  const now = ctx.now();
  const since = historyStart(now);
  const reading = await findDialReading(ctx.db, leadId, since);
  if (!reading || reading.open || reading.onDncList) return undefined;
  const { lead } = reading;
  if (lead.status !== "active" && lead.status !== "daily_max_reached") return undefined;
  const decision = await decideFromHistory(ctx, lead, reading.history, now);
  if (decision.kind !== "dial_now") return undefined;
  const calendar = await ctx.calendar.get();
  const schedule = scheduleFor(lead, { kind: "in_progress", since: now }, now, ctx.reconcileAfterMs);
  if (!schedule.nextAttemptAt || schedule.waitingReason === null) return undefined;
  const attemptNumber = lead.attemptsTotal + 1;
  const begun = await beginDial(ctx.db, {
    reading,
    since,
    attemptNumber,
    campaignDay: campaignDay(now, calendar),
    dialedAt: now,
    nextAttemptAt: schedule.nextAttemptAt,
    waitingReason: schedule.waitingReason,
    jobDelaySeconds: dialJobDelaySeconds(schedule.nextAttemptAt, now),
    maxConcurrent: deps.limits.maxConcurrent,
  }).catch((error: unknown) => {
    // A deadlock victim: the locked transaction runs it again.
    if (isRetryableTransactionError(error)) return { kind: "stale" as const };
    throw error;
  });
  switch (begun.kind) {
    case "stale":
      return undefined;
    case "fleet_limit":
      throw new FleetLimitReached(new Date(now.getTime() + CONCURRENT_LIMIT_RETRY_MS), begun.message);
    case "dialing":
      return {
        kind: "dial",
        lead: { ...lead, status: "active", attemptsTotal: attemptNumber },
        attemptId: begun.attemptId,
      };
  }
}
