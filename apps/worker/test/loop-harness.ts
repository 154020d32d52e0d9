import { setTimeout as delay } from "node:timers/promises";
import { startApiInProcess } from "@redial/api";
import { createLogger } from "@redial/config";
import { createTestDatabase, type TestDatabase } from "@redial/db/testing";
import { policyRuntimeOptions, type Runtime, redialPolicyEnv } from "@redial/services";
import {
  noonOffsetSeconds,
  OPEN_CALENDAR,
  type RunningSimulator,
  type SimulatorConfigInput,
  startSimulator,
} from "@redial/simulator";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { z } from "zod";
import { type RunningWorker, startWorker, workerConfigSchema } from "../src/index.ts";

export const API_KEY = "test-api-key-0001";

export interface LoopEnv {
  REDIAL_PROGRESSIVE_INTERVALS?: string;
  REDIAL_MAX_PER_DAY?: string;
  REDIAL_MIN_GAP_MINUTES?: string;
  BLAND_MAX_DURATION_MINUTES?: string;
  RECONCILE_MARGIN_SECONDS?: string;
  DIAL_MAX_CONCURRENT?: string;
  DIAL_MAX_PER_HOUR?: string;
  CONVOSO_PREDIAL_CHECK?: string;
}

export interface Loop {
  database: TestDatabase;
  simulator: RunningSimulator;
  api: FastifyInstance;
  apiUrl: string;
  runtime: Runtime;
  workers: RunningWorker[];
  startWorker(): Promise<RunningWorker>;
  /** Poll `predicate` until it holds, or fail naming `what` at the deadline. */
  waitFor(predicate: () => Promise<boolean>, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_ENV = {
  REDIAL_PROGRESSIVE_INTERVALS: "0,0.01,0.01",
  REDIAL_MAX_PER_DAY: "3",
  REDIAL_MIN_GAP_MINUTES: "0.005",
  BLAND_MAX_DURATION_MINUTES: "0.05",
  RECONCILE_MARGIN_SECONDS: "1",
  DIAL_MAX_CONCURRENT: "50",
};

/**
 * The whole loop in one test process over real HTTP and real PostgreSQL: the simulator, the API
 * (listening, so the simulator's signed webhooks reach it) and N workers.
 */
export async function startLoop(
  options: {
    env?: LoopEnv;
    simulator?: SimulatorConfigInput;
    workers?: number;
    /** Every process's log lines (info and up) go here as JSON lines. */
    logLines?: string[];
  } = {},
): Promise<Loop> {
  const env = { ...DEFAULT_ENV, ...options.env, CLOCK_OFFSET_SECONDS: String(noonOffsetSeconds()) };
  const database = await createTestDatabase();
  const simulator = await startSimulator({ config: { minGapSeconds: 0.2, ...options.simulator } });
  const lines = options.logLines;
  const log = lines
    ? createLogger({
        name: "test",
        level: "info",
        pretty: false,
        destination: { write: (line: string) => void lines.push(line) },
      })
    : createLogger({ name: "test", level: process.env.TEST_LOG_LEVEL ?? "silent", pretty: false });
  const policyEnv = z.object(redialPolicyEnv).parse(env);
  const {
    runtime,
    api,
    url: apiUrl,
  } = await startApiInProcess({
    runtime: {
      databaseUrl: database.url,
      ...policyRuntimeOptions(policyEnv),
      log,
      poolSize: 4,
    },
    app: {
      apiKeys: [API_KEY],
      blandWebhookSecret: simulator.state.options.webhookSecret,
      ...(lines ? { logger: log } : {}),
    },
    calendar: OPEN_CALENDAR,
  });
  const workers: RunningWorker[] = [];
  const workerConfig = workerConfigSchema.parse({
    ...env,
    DATABASE_URL: database.url,
    PUBLIC_URL: apiUrl,
    BLAND_API_URL: simulator.url,
    BLAND_API_KEY: simulator.state.options.blandApiKey,
    BLAND_TASK: "Test agent",
    BLAND_TIMEOUT_MS: "2000",
    CONVOSO_API_URL: simulator.url,
    CONVOSO_AUTH_TOKEN: simulator.state.options.convosoToken,
    DIAL_RATE_PER_SECOND: "200",
    WORKER_CONCURRENCY: "8",
    WORKER_POLL_SECONDS: "0.5",
    WORKER_HEARTBEAT_SECONDS: "1",
    WORKER_METRICS_PORT: "0",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
  });
  const loop: Loop = {
    database,
    simulator,
    api,
    apiUrl,
    runtime,
    workers,
    async startWorker() {
      const worker = await startWorker(workerConfig, log);
      workers.push(worker);
      return worker;
    },
    async waitFor(predicate, what, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!(await predicate())) {
        if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
        await delay(50);
      }
    },
    async close() {
      await step("workers", Promise.all(workers.map((w) => w.stop())));
      await step("api", api.close(), async () => {
        const { rows } = await sql<{ state: string; wait: string; query: string }>`
          SELECT state, coalesce(wait_event_type || ':' || wait_event, '') AS wait, left(query, 120) AS query
          FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`.execute(
          database.db,
        );
        process.stderr.write(`${JSON.stringify(rows)}\n`);
      });
      await step("runtime", runtime.stop());
      await step("simulator", simulator.close());
      await database.drop();
    },
  };
  for (let i = 0; i < (options.workers ?? 1); i++) await loop.startWorker();
  return loop;
}

/**
 * Await a teardown step; past 10 s say which one (with what the database is doing), and past
 * 20 s go on without it: the database is dropped with FORCE at the end anyway. (Seen once in a
 * loaded CI run: the API's close waiting a minute on an in-flight request.)
 */
async function step(name: string, done: Promise<unknown>, diagnose?: () => Promise<void>): Promise<void> {
  const slow = setTimeout(() => {
    process.stderr.write(`loop teardown: ${name} still stopping after 10 s\n`);
    void diagnose?.().catch(() => undefined);
  }, 10_000);
  try {
    await Promise.race([done.catch(() => undefined), delay(20_000, undefined, { ref: false })]);
  } finally {
    clearTimeout(slow);
  }
}
