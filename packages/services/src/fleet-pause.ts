import { setTimeout as delay } from "node:timers/promises";
import {
  type Actor,
  type FleetState,
  getFleetState,
  inTransaction,
  listHeartbeats,
  lockFleetState,
  recordAudit,
  saveFleetState,
  type WorkerHeartbeat,
} from "@redial/db";
import { campaignDay } from "@redial/domain";
import type { RedialContext } from "./context.ts";

/** A worker whose last beat is older than this is not counted as alive. */
export const WORKER_ALIVE_SECONDS = 30;

/** The actor the spend cap's own pauses and resumes are recorded under. */
export const SPEND_CAP_ACTOR: Actor = { name: "system:spend-cap" };

/** The fleet's switch and what each live worker last applied of it. */
export interface FleetStatus {
  state: FleetState;
  workers: WorkerHeartbeat[];
  /** Live workers that still fetch dial jobs although the fleet is paused (or the reverse). */
  workersNotInStep: number;
}

export async function fleetStatus(ctx: Pick<RedialContext, "db" | "now">): Promise<FleetStatus> {
  const [state, workers] = await Promise.all([getFleetState(ctx.db), liveWorkers(ctx)]);
  return { state, workers, workersNotInStep: workers.filter((w) => w.dialPaused !== state.paused).length };
}

async function liveWorkers(ctx: Pick<RedialContext, "db" | "now">): Promise<WorkerHeartbeat[]> {
  const since = new Date(ctx.now().getTime() - WORKER_ALIVE_SECONDS * 1000);
  return (await listHeartbeats(ctx.db, since)).filter((w) => w.stoppedAt === null);
}

/**
 * Pause the whole fleet by hand: workers stop fetching dial jobs (calls in flight finish, their
 * results are recorded), the leads' jobs stay queued and are decided again at resume.
 */
export async function pauseFleet(ctx: RedialContext, by: Actor, note: string | null): Promise<FleetState> {
  const today = campaignDay(ctx.now(), await ctx.calendar.get());
  await inTransaction(ctx.db, async (trx) => {
    const state = await lockFleetState(trx);
    await saveFleetState(
      trx,
      { ...state, paused: true, reason: "manual", note, day: today, changedBy: by.name },
      ctx.now(),
    );
    await recordAudit(trx, by, { action: "fleet.pause", details: { note, was_paused: state.paused } });
  });
  return getFleetState(ctx.db);
}

/**
 * Resume the fleet by hand. Lifting the spend cap's pause keeps the cap off for the rest of that
 * campaign day (the operator decided to spend more); a manual pause's resume leaves the cap on.
 */
export async function resumeFleet(ctx: RedialContext, by: Actor): Promise<FleetState> {
  const today = campaignDay(ctx.now(), await ctx.calendar.get());
  await inTransaction(ctx.db, async (trx) => {
    const state = await lockFleetState(trx);
    await saveFleetState(
      trx,
      {
        paused: false,
        reason: null,
        note: null,
        day: today,
        capOverriddenDay: state.reason === "spend_cap" ? today : state.capOverriddenDay,
        changedBy: by.name,
      },
      ctx.now(),
    );
    await recordAudit(trx, by, {
      action: "fleet.resume",
      details: { was_paused: state.paused, was_reason: state.reason },
    });
  });
  return getFleetState(ctx.db);
}

/**
 * Wait until every live worker has applied the switch (stopped or started fetching dial jobs),
 * at most `timeoutMs`. Returns the workers still out of step at the deadline (none: done).
 */
export async function awaitWorkersInStep(
  ctx: Pick<RedialContext, "db" | "now">,
  timeoutMs: number,
): Promise<FleetStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fleetStatus(ctx);
    if (status.workersNotInStep === 0 || Date.now() >= deadline) return status;
    await delay(100);
  }
}
