import { type FleetState, inTransaction, lockFleetState, recordAudit, saveFleetState } from "@redial/db";
import { campaignDay } from "@redial/domain";
import { statisticsToday } from "@redial/reports";
import type { RedialContext } from "./context.ts";
import { SPEND_CAP_ACTOR } from "./fleet-pause.ts";

export type SpendCapDecision = "pause" | "resume" | "none";

/**
 * DAILY_SPEND_LIMIT (pure): pause the fleet when today's spend reached the limit, unless it is
 * paused already or an operator resumed after the cap today; resume a spend-cap pause of an earlier
 * campaign day (or when the limit was removed). A manual pause is never lifted here.
 */
export function decideSpendCap(
  state: Pick<FleetState, "paused" | "reason" | "day" | "capOverriddenDay">,
  input: { spendToday: number; limit: number | null; today: string },
): SpendCapDecision {
  if (state.paused && state.reason === "spend_cap")
    return input.limit === null || (state.day !== null && state.day < input.today) ? "resume" : "none";
  if (state.paused || input.limit === null) return "none";
  if (state.capOverriddenDay === input.today) return "none";
  return input.spendToday >= input.limit ? "pause" : "none";
}

/**
 * Apply the spend cap once (the alert cron, every minute): spend = the cost of today's calls as the
 * statistics define it. Returns what it did.
 */
export async function applySpendCap(
  ctx: RedialContext,
  limit: number | null,
): Promise<{ decision: SpendCapDecision; spendToday: number }> {
  const today = campaignDay(ctx.now(), await ctx.calendar.get());
  const spendToday = (await statisticsToday(ctx)).cost;
  const decision = await inTransaction(ctx.db, async (trx) => {
    const state = await lockFleetState(trx);
    const decided = decideSpendCap(state, { spendToday, limit, today });
    if (decided === "none") return decided;
    const paused = decided === "pause";
    await saveFleetState(
      trx,
      {
        paused,
        reason: paused ? "spend_cap" : null,
        note: paused ? `spend today ${spendToday.toFixed(2)} reached DAILY_SPEND_LIMIT ${limit}` : null,
        day: today,
        capOverriddenDay: state.capOverriddenDay,
        changedBy: SPEND_CAP_ACTOR.name,
      },
      ctx.now(),
    );
    await recordAudit(trx, SPEND_CAP_ACTOR, {
      action: paused ? "fleet.pause" : "fleet.resume",
      details: { spend_today: spendToday, limit, day: today },
    });
    return decided;
  });
  if (decision !== "none") ctx.log.warn({ decision, spendToday, limit }, "spend cap");
  return { decision, spendToday };
}
