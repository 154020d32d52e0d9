import { writeSchedule } from "@redial/db";
import { isRedialing, notPlacedSchedule } from "@redial/domain";
import type { RedialContext } from "./context.ts";
import type { DialDependencies } from "./dial-dependencies.ts";
import { readPlanWrite, unlessStale } from "./read-plan-write.ts";

/**
 * The call was certainly not placed: the attempt counts nowhere, and the lead (if still
 * redialing) is looked at again later. An attempt bound to a Bland call id meanwhile (its webhook
 * came, or a check found it) was placed after all: nothing is given back (redial_write_schedule
 * refuses it too, under the lead's guard), so its slot stays held and its lead is not redialed;
 * nor is one that ended meanwhile.
 */
export async function giveBack(
  ctx: RedialContext,
  deps: DialDependencies,
  leadId: number,
  attemptId: number,
  reason: string,
  callId: string | null = null,
): Promise<void> {
  await readPlanWrite(ctx, leadId, async ({ db, reading, guard, now }) => {
    if (!reading) return undefined;
    if (reading.open?.attemptId !== attemptId || reading.open.blandCallId !== callId) return undefined;
    const schedule = isRedialing(reading.lead.status)
      ? notPlacedSchedule(now, deps.retryNotPlacedAfterMs ?? 60_000, reason)
      : null;
    return unlessStale(
      await writeSchedule(db, leadId, guard, { schedule, now, notPlaced: { attemptId, reason } }),
      undefined,
    );
  });
}
