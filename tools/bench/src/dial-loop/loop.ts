import type { EventEmitter } from "node:events";
import type { Logger } from "@redial/config";
import type { Runtime } from "@redial/services";
import {
  noonOffsetSeconds,
  type RunningSimulator,
  type SimulatorConfigInput,
  startSimulator,
} from "@redial/simulator";
import { startLoopSystem } from "@redial/testing";
import type { RunningWorker } from "@redial/worker";
import type { WorkerShape } from "./baseline.ts";

/**
 * The redial policy of the bench: every redial due at once after the previous call's result
 * (interval 0, a 60 ms minimum gap), the daily cap at its maximum, so a cycle never waits on
 * policy. The calls "last" 30 minutes for reconciliation, as in production: no reconciler runs.
 */
const BENCH_ENV = {
  // The bench's leads carry no consent: the loop is measured, not the consent rule.
  CONSENT_REQUIRED: "none",
  REDIAL_PROGRESSIVE_INTERVALS: "0",
  REDIAL_MAX_PER_DAY: "100",
  REDIAL_MIN_GAP_MINUTES: "0.001",
  BLAND_TASK: "Bench agent",
  // The cycle is dial → webhook → next job; syncing outcomes to Convoso is not part of it.
  CONVOSO_SYNC_ENABLED: "false",
  // Fleet limits and request pacing far above what the bench reaches: it measures the loop.
  DIAL_RATE_PER_SECOND: "1000",
  DIAL_MAX_CONCURRENT: "100000",
  LOG_LEVEL: "silent",
};

/** Tallies of what the dial jobs returned (`placed`, `not_due`, `error`…), from the workers' events. */
export type DialTally = Map<string, number>;

/** The API and the workers of one phase, on the shared simulator. */
export interface RunningSystem {
  runtime: Runtime;
  workers: RunningWorker[];
  /** Emits `dial` ({leadId, result}) for every dial job of every worker. */
  dials: EventEmitter;
  tally: DialTally;
  /** The message of the first dial job that failed, if one did. */
  firstError(): string | undefined;
  stop(): Promise<void>;
}

export interface BenchLoop {
  simulator: RunningSimulator;
  clockOffsetMs: number;
  /** PUT /_sim/config on the simulator (its control API). */
  configureSimulator(config: SimulatorConfigInput): Promise<void>;
  /**
   * The API (listening: the simulator posts signed webhooks to it) and the workers over
   * `databaseUrl` (@redial/testing's loop system); `optimisticWrites: false` runs them as
   * DATABASE_OPTIMISTIC_WRITES=false; `env` overrides the bench's environment (e.g. DIAL_MAX_CONCURRENT).
   */
  startSystem(
    databaseUrl: string,
    shape: WorkerShape,
    options?: { optimisticWrites?: boolean; env?: Record<string, string> },
  ): Promise<RunningSystem>;
  /** Stop every system still running, then the simulator. */
  close(): Promise<void>;
}

/** The simulator as Bland (calls end at once) and the systems of the bench's phases, in this process. */
export async function startBenchLoop(log: Logger): Promise<BenchLoop> {
  const simulator = await startSimulator({ historyCalls: 0, requestLogSize: 100 });
  const clockOffsetSeconds = noonOffsetSeconds();
  const configureSimulator = async (config: SimulatorConfigInput) => {
    const response = await fetch(new URL("/_sim/config", simulator.url), {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(config),
    });
    if (!response.ok) throw new Error(`Simulator refused its config: ${await response.text()}`);
  };
  await configureSimulator({ callDurationMs: 0, callDurationJitterMs: 0, minGapSeconds: 0 });
  const running = new Set<RunningSystem>();
  return {
    simulator,
    clockOffsetMs: clockOffsetSeconds * 1000,
    configureSimulator,
    async startSystem(databaseUrl, shape, options = {}) {
      const loop = await startLoopSystem({
        databaseUrl,
        simulator,
        env: {
          ...BENCH_ENV,
          CLOCK_OFFSET_SECONDS: String(clockOffsetSeconds),
          DATABASE_OPTIMISTIC_WRITES: String(options.optimisticWrites ?? true),
          WORKER_CONCURRENCY: String(shape.concurrency),
          WORKER_POLL_SECONDS: String(shape.pollSeconds),
          ...options.env,
        },
        workers: shape.workers,
        log,
        apiPoolSize: 10,
      });
      const tally: DialTally = new Map();
      let firstError: string | undefined;
      loop.dials.on("dial", ({ result, message }: { result: string; message?: string }) => {
        tally.set(result, (tally.get(result) ?? 0) + 1);
        if (result === "error") firstError ??= message;
      });
      const system: RunningSystem = {
        runtime: loop.runtime,
        workers: loop.workers,
        dials: loop.dials,
        tally,
        firstError: () => firstError,
        async stop() {
          running.delete(system);
          await loop.stop();
        },
      };
      running.add(system);
      return system;
    },
    // A phase that failed left its system running: stop it before the database is dropped.
    async close() {
      await Promise.all([...running].map((system) => system.stop()));
      await simulator.close();
    },
  };
}
