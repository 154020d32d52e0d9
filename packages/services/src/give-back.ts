import { writeSchedule } from "@redial/db";
import { isRedialing, notPlacedSchedule } from "@redial/domain";
import type { RedialContext } from "./context.ts";
import type { DialDependencies } from "./dial-dependencies.ts";
import { readPlanWrite, unlessStale } from "./read-plan-write.ts";

/**
 * The call was certainly not placed: the attempt counts nowhere, and the lead (if still
 * redialing) is looked at again later.
 */
export async function giveBack(
  ctx: RedialContext,
  deps: DialDependencies,
  leadId: number,
  attemptId: number,
  reason: string,
): Promise<void> {
  await readPlanWrite(ctx, leadId, async ({ db, reading, guard, now }) => {
    if (!reading) return undefined;
    const schedule = isRedialing(reading.lead.status)
      ? notPlacedSchedule(now, deps.retryNotPlacedAfterMs ?? 60_000, reason)
      : null;
    return unlessStale(
      await writeSchedule(db, leadId, guard, { schedule, now, notPlaced: { attemptId, reason } }),
      undefined,
    );
  });
}
