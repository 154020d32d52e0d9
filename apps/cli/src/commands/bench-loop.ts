import { EventEmitter } from "node:events";
import { type InProcessApi, startApiInProcess } from "@redial/api";
import type { Logger } from "@redial/config";
import { policyRuntimeOptions, type Runtime, redialPolicyEnv } from "@redial/services";
import {
  noonOffsetSeconds,
  OPEN_CALENDAR,
  type RunningSimulator,
  type SimulatorConfigInput,
  startSimulator,
} from "@redial/simulator";
import { type RunningWorker, startWorker, type WorkerConfig, workerConfigSchema } from "@redial/worker";
import { z } from "zod";
import type { WorkerShape } from "./bench-baseline.ts";

const API_KEY = "bench-api-key";

type ApiServer = InProcessApi["api"];

/**
 * The redial policy of the bench: every redial due at once after the previous call's result
 * (interval 0, a 60 ms minimum gap), the daily cap at its maximum, so a cycle never waits on
 * policy. The calls "last" 30 minutes for reconciliation, as in production: no reconciler runs.
 */
const BENCH_POLICY_ENV = {
  REDIAL_PROGRESSIVE_INTERVALS: "0",
  REDIAL_MAX_PER_DAY: "100",
  REDIAL_MIN_GAP_MINUTES: "0.001",
};

/** Tallies of what the dial jobs returned (`placed`, `not_due`, `error`…), from the workers' events. */
export type DialTally = Map<string, number>;

/** The API and the workers of one phase, on the shared simulator. */
export interface RunningSystem {
  runtime: Runtime;
  api: ApiServer;
  workers: RunningWorker[];
  /** Emits `dial` ({leadId, result}) for every dial job of every worker. */
  dials: EventEmitter;
  tally: DialTally;
  /** Stop workers, API and runtime: every connection to the database closes (once; later calls wait for it). */
  stop(): Promise<void>;
}

export interface BenchLoop {
  simulator: RunningSimulator;
  clockOffsetMs: number;
  /** PUT /_sim/config on the simulator (its control API). */
  configureSimulator(config: SimulatorConfigInput): Promise<void>;
  /**
   * Start the API (listening: the simulator posts signed webhooks to it) and the workers;
   * `optimisticWrites: false` runs them as DATABASE_OPTIMISTIC_WRITES=false.
   */
  startSystem(
    databaseUrl: string,
    shape: WorkerShape,
    options?: { optimisticWrites?: boolean },
  ): Promise<RunningSystem>;
  /** Stop every system still running, then the simulator. */
  close(): Promise<void>;
}

/**
 * The production path in one process: the simulator as Bland (calls end at once), the real API
 * (buildApp + listen) receiving its webhooks, and real workers (startWorker) dialing it, with a
 * clock offset that puts every lead inside its calling window.
 */
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
      const optimisticWrites = options.optimisticWrites ?? true;
      const env = {
        ...BENCH_POLICY_ENV,
        CLOCK_OFFSET_SECONDS: String(clockOffsetSeconds),
        DATABASE_OPTIMISTIC_WRITES: String(optimisticWrites),
      };
      const policyEnv = z.object(redialPolicyEnv).parse(env);
      const {
        runtime,
        api,
        url: apiUrl,
      } = await startApiInProcess({
        runtime: {
          databaseUrl,
          ...policyRuntimeOptions(policyEnv),
          log,
          poolSize: 10,
          optimisticWrites,
          // As the workers' CONVOSO_SYNC_ENABLED=false below.
          syncToConvoso: false,
        },
        app: { apiKeys: [API_KEY], blandWebhookSecret: simulator.state.options.webhookSecret },
        calendar: OPEN_CALENDAR,
      });
      const config = workerConfig(env, databaseUrl, apiUrl, simulator, shape);
      const dials = new EventEmitter();
      const tally: DialTally = new Map();
      dials.on("dial", ({ result }: { result: string }) => tally.set(result, (tally.get(result) ?? 0) + 1));
      const workers: RunningWorker[] = [];
      for (let i = 0; i < shape.workers; i++) {
        const worker = await startWorker(config, log);
        worker.events.on("dial", (event) => dials.emit("dial", event));
        workers.push(worker);
      }
      let stopped: Promise<void> | undefined;
      const system: RunningSystem = {
        runtime,
        api,
        workers,
        dials,
        tally,
        stop() {
          stopped ??= (async () => {
            running.delete(system);
            await Promise.all(workers.map((worker) => worker.stop()));
            await api.close();
            await runtime.stop();
          })();
          return stopped;
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

/** A worker process's configuration, as its environment would give it. */
function workerConfig(
  env: Record<string, string>,
  databaseUrl: string,
  apiUrl: string,
  simulator: RunningSimulator,
  shape: WorkerShape,
): WorkerConfig {
  return workerConfigSchema.parse({
    ...env,
    DATABASE_URL: databaseUrl,
    PUBLIC_URL: apiUrl,
    BLAND_API_URL: simulator.url,
    BLAND_API_KEY: simulator.state.options.blandApiKey,
    BLAND_TASK: "Bench agent",
    // The cycle is dial → webhook → next job; syncing outcomes to Convoso is not part of it.
    CONVOSO_SYNC_ENABLED: "false",
    // Fleet limits and request pacing far above what the bench reaches: it measures the loop.
    DIAL_RATE_PER_SECOND: "1000",
    DIAL_MAX_CONCURRENT: "100000",
    WORKER_CONCURRENCY: String(shape.concurrency),
    WORKER_POLL_SECONDS: String(shape.pollSeconds),
    LOG_LEVEL: "silent",
  });
}
