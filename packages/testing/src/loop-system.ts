import { EventEmitter } from "node:events";
import type { Logger } from "@redial/config";
import { policyRuntimeOptions, type Runtime, redialPolicyEnv } from "@redial/services";
import { OPEN_CALENDAR, type RunningSimulator } from "@redial/simulator";
import { type RunningWorker, startWorker, workerConfigSchema } from "@redial/worker";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { startApiInProcess } from "./in-process-api.ts";

/** The API key the in-process API accepts. */
export const LOOP_API_KEY = "loop-api-key-0001";

/** The API and N workers of one in-process loop, over one database, dialing one simulator. */
export interface LoopSystem {
  runtime: Runtime;
  /** Listening (the simulator posts its signed webhooks to apiUrl); `inject` works too. */
  api: FastifyInstance;
  apiUrl: string;
  workers: RunningWorker[];
  startWorker(): Promise<RunningWorker>;
  /** Emits `dial` ({leadId, result}) for every dial job of every worker. */
  dials: EventEmitter;
  /** Stop workers, API and runtime: every connection to the database closes (once; later calls wait for it). */
  stop(): Promise<void>;
}

export interface LoopSystemOptions {
  databaseUrl: string;
  simulator: RunningSimulator;
  /**
   * The environment the processes would get: redial policy, fleet limits, worker shape,
   * CLOCK_OFFSET_SECONDS, DATABASE_OPTIMISTIC_WRITES, CONVOSO_SYNC_ENABLED… over the defaults here.
   */
  env: Record<string, string>;
  workers: number;
  log: Logger;
  /** The API's request log goes to this logger; none by default. */
  apiLogger?: Logger;
  apiPoolSize?: number;
}

/**
 * The production path in one process: the real API (buildApp + listen, on a runtime of its own)
 * receiving the simulator's webhooks, and real workers (startWorker, configured as by their
 * environment) dialing it; the campaign calendar open at every hour. Shared by the loop tests
 * (loop-fixture.ts) and `pnpm bench` (tools/bench).
 */
export async function startLoopSystem(options: LoopSystemOptions): Promise<LoopSystem> {
  const { simulator, log } = options;
  const env = options.env;
  const policyEnv = z.object(redialPolicyEnv).parse(env);
  const {
    runtime,
    api,
    url: apiUrl,
  } = await startApiInProcess({
    runtime: {
      databaseUrl: options.databaseUrl,
      ...policyRuntimeOptions(policyEnv),
      log,
      poolSize: options.apiPoolSize ?? 4,
      optimisticWrites: env.DATABASE_OPTIMISTIC_WRITES !== "false",
      syncToConvoso: env.CONVOSO_SYNC_ENABLED !== "false",
    },
    app: {
      apiKeys: [LOOP_API_KEY],
      blandWebhookSecret: simulator.state.options.webhookSecret,
      ...(options.apiLogger ? { logger: options.apiLogger } : {}),
    },
    calendar: OPEN_CALENDAR,
  });
  const config = workerConfigSchema.parse({
    BLAND_TASK: "Loop agent",
    CONVOSO_API_URL: simulator.url,
    CONVOSO_AUTH_TOKEN: simulator.state.options.convosoToken,
    LOG_LEVEL: "silent",
    ...env,
    DATABASE_URL: options.databaseUrl,
    PUBLIC_URL: apiUrl,
    BLAND_API_URL: simulator.url,
    BLAND_API_KEY: simulator.state.options.blandApiKey,
  });
  const dials = new EventEmitter();
  const workers: RunningWorker[] = [];
  let stopped: Promise<void> | undefined;
  const system: LoopSystem = {
    runtime,
    api,
    apiUrl,
    workers,
    dials,
    async startWorker() {
      const worker = await startWorker(config, log);
      worker.events.on("dial", (event) => dials.emit("dial", event));
      workers.push(worker);
      return worker;
    },
    stop() {
      stopped ??= (async () => {
        await Promise.all(workers.map((worker) => worker.stop()));
        await api.close();
        await runtime.stop();
      })();
      return stopped;
    },
  };
  try {
    for (let i = 0; i < options.workers; i++) await system.startWorker();
  } catch (error) {
    await system.stop();
    throw error;
  }
  return system;
}
