import { randomUUID } from "node:crypto";
import type { EventEmitter } from "node:events";
import { hostname } from "node:os";
import {
  FLEET_STATE_CHANNEL,
  getFleetState,
  listenForNotifications,
  type NotificationListener,
  saveHeartbeat,
} from "@redial/db";
import type { RedialContext } from "@redial/services";

export interface FleetSwitchOptions {
  ctx: RedialContext;
  databaseUrl: string;
  /** How often the worker beats and reads the fleet's switch again (besides LISTEN). */
  beatSeconds: number;
  /** Start fetching dial jobs (pg-boss work on the dial queue). */
  startDialing(): Promise<void>;
  /** Stop fetching dial jobs and wait for the running ones to finish (pg-boss offWork). */
  stopDialing(): Promise<void>;
  /** Emits `beat` ({dialing}) after each beat, `fleet` ({dialing}) when the worker switched. */
  events?: EventEmitter;
}

export interface FleetSwitch {
  workerId: string;
  dialing(): boolean;
  stop(): Promise<void>;
}

/**
 * This worker's side of the fleet pause (POST /v1/admin/pause, the spend cap): it fetches dial
 * jobs only while fleet_state says running. A change is learned at once by LISTEN, and at the
 * next beat anyway; leads' jobs stay queued while paused and are decided again when they run.
 * Each beat also records the worker as alive, with whether it applied the pause.
 */
export async function startFleetSwitch(options: FleetSwitchOptions): Promise<FleetSwitch> {
  const { ctx } = options;
  const workerId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const startedAt = ctx.now();
  let dialing = false;
  let stopped = false;
  let queue: Promise<void> = Promise.resolve();

  const beat = (stop = false) =>
    saveHeartbeat(ctx.db, {
      workerId,
      host: hostname(),
      pid: process.pid,
      startedAt,
      beatAt: ctx.now(),
      dialPaused: !dialing,
      stopped: stop,
    });

  const apply = async () => {
    if (stopped) return;
    const state = await getFleetState(ctx.db);
    if (state.paused && dialing) {
      await options.stopDialing();
      dialing = false;
      ctx.log.warn(
        { reason: state.reason, note: state.note },
        "fleet paused: this worker stopped fetching dial jobs",
      );
      options.events?.emit("fleet", { dialing });
    } else if (!state.paused && !dialing) {
      await options.startDialing();
      dialing = true;
      ctx.log.info("fleet running: this worker fetches dial jobs");
      options.events?.emit("fleet", { dialing });
    }
    await beat();
    options.events?.emit("beat", { dialing });
  };
  // One apply at a time, in order: a pause and a resume in quick succession end as the last says.
  const sync = () => {
    queue = queue
      .then(apply)
      .catch((error) => ctx.log.error({ err: error }, "fleet switch: could not apply"));
    return queue;
  };

  await sync();
  const listener: NotificationListener | undefined = await listenForNotifications(
    options.databaseUrl,
    FLEET_STATE_CHANNEL,
    () => void sync(),
    (error) => ctx.log.warn({ err: error }, "fleet switch: LISTEN connection lost; the beat still reads it"),
  ).catch((error) => {
    ctx.log.warn({ err: error }, "fleet switch: cannot LISTEN; the beat reads the switch");
    return undefined;
  });
  const timer = setInterval(() => void sync(), options.beatSeconds * 1000);
  timer.unref();

  return {
    workerId,
    dialing: () => dialing,
    stop: async () => {
      clearInterval(timer);
      await queue;
      stopped = true;
      await listener?.close();
      await beat(true).catch(() => undefined);
    },
  };
}
