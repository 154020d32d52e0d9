import { setTimeout as delay } from "node:timers/promises";
import { createLogger } from "@redial/config";
import { createTestDatabase, type TestDatabase } from "@redial/db/testing";
import type { Runtime } from "@redial/services";
import {
  noonOffsetSeconds,
  type RunningSimulator,
  type SimulatorConfigInput,
  startSimulator,
} from "@redial/simulator";
import type { RunningWorker } from "@redial/worker";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { LOOP_API_KEY, type LoopSystem, startLoopSystem } from "./loop-system.ts";
import { waitFor } from "./wait-for.ts";

export const API_KEY = LOOP_API_KEY;

/** Environment variables a loop test may set (the processes' own names). */
export interface LoopEnv {
  REDIAL_PROGRESSIVE_INTERVALS?: string;
  REDIAL_MAX_PER_DAY?: string;
  REDIAL_MIN_GAP_MINUTES?: string;
  BLAND_MAX_DURATION_MINUTES?: string;
  RECONCILE_MARGIN_SECONDS?: string;
  RECONCILE_AMBIGUOUS_AFTER_SECONDS?: string;
  CALL_EXPECTED_LENGTH_FACTOR?: string;
  CALL_EXPECTED_LENGTH_FLOOR_SECONDS?: string;
  CALL_POLL_GAP_SECONDS?: string;
  BLAND_TIMEOUT_MS?: string;
  DIAL_MAX_CONCURRENT?: string;
  DIAL_MAX_PER_HOUR?: string;
  CONVOSO_PREDIAL_CHECK?: string;
  CONSENT_REQUIRED?: "none" | "express" | "written";
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

export interface LoopOptions {
  env?: LoopEnv;
  simulator?: SimulatorConfigInput;
  workers?: number;
  /** Every process's log lines (info and up) go here as JSON lines. */
  logLines?: string[];
}

/** Short intervals and deadlines, so a test sees several calls of a lead in seconds. */
const DEFAULT_ENV = {
  // Tests that are not about consent admit leads without one.
  CONSENT_REQUIRED: "none",
  REDIAL_PROGRESSIVE_INTERVALS: "0,0.01,0.01",
  REDIAL_MAX_PER_DAY: "3",
  REDIAL_MIN_GAP_MINUTES: "0.005",
  BLAND_MAX_DURATION_MINUTES: "0.05",
  RECONCILE_MARGIN_SECONDS: "1",
  DIAL_MAX_CONCURRENT: "50",
  BLAND_TIMEOUT_MS: "2000",
  DIAL_RATE_PER_SECOND: "200",
  WORKER_CONCURRENCY: "8",
  WORKER_POLL_SECONDS: "0.5",
  WORKER_HEARTBEAT_SECONDS: "1",
  WORKER_METRICS_PORT: "0",
};

/**
 * The whole loop in one test process over real HTTP and real PostgreSQL: a fresh test database,
 * the simulator, the API (listening, so the simulator's signed webhooks reach it) and N workers,
 * with a clock offset that puts every lead inside its calling window. Tests get it from the
 * `loopTest` fixture (loop-fixture.ts), which closes it after the test.
 */
export async function startLoop(options: LoopOptions = {}): Promise<Loop> {
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
  let system: LoopSystem;
  try {
    system = await startLoopSystem({
      databaseUrl: database.url,
      simulator,
      env: {
        ...DEFAULT_ENV,
        ...options.env,
        CLOCK_OFFSET_SECONDS: String(noonOffsetSeconds()),
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
      },
      workers: options.workers ?? 1,
      log,
      ...(lines ? { apiLogger: log } : {}),
    });
  } catch (error) {
    await simulator.close();
    await database.drop();
    throw error;
  }
  return {
    database,
    simulator,
    api: system.api,
    apiUrl: system.apiUrl,
    runtime: system.runtime,
    workers: system.workers,
    startWorker: () => system.startWorker(),
    waitFor: (predicate, what, timeoutMs = 20_000) => waitFor(predicate, what, timeoutMs),
    async close() {
      await step("system", system.stop(), async () => {
        const { rows } = await sql<{ state: string; wait: string; query: string }>`
          SELECT state, coalesce(wait_event_type || ':' || wait_event, '') AS wait, left(query, 120) AS query
          FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`.execute(
          database.db,
        );
        process.stderr.write(`${JSON.stringify(rows)}\n`);
      });
      await step("simulator", simulator.close());
      await database.drop();
    },
  };
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
