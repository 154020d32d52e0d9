import { readFileSync } from "node:fs";
import { envBoolean, type Logger } from "@redial/config";
import type { ConvosoStatusOverrides } from "@redial/convoso";
import { createDb, isScratchDatabase, PreparingClient } from "@redial/db";
import type { CallCheckSettings, RedialPolicy } from "@redial/domain";
import { createBoss, ensureQueues } from "@redial/jobs";
import { z } from "zod";
import { databaseCalendar, seedCalendar } from "./calendar-source.ts";
import { databaseCallChecks } from "./call-checks-source.ts";
import type { RedialContext } from "./context.ts";

/** The database's environment variables, shared by the API and the worker. */
export const databaseEnv = {
  DATABASE_URL: z
    .string()
    .url({ message: "a postgres:// connection string (or use `pnpm start` for the embedded database)" }),
  /** false behind a pooler in transaction mode that cannot carry named prepared statements. */
  DATABASE_PREPARED_STATEMENTS: envBoolean.default(true),
  /** false: every lead write in a transaction that locks the lead first (the same statements; slower). */
  DATABASE_OPTIMISTIC_WRITES: envBoolean.default(true),
};

export interface RuntimeOptions {
  databaseUrl: string;
  policy: RedialPolicy;
  reconcileAfterMs: number;
  /** When open calls are asked about at Bland (absent: defaultCallChecks(reconcileAfterMs)). */
  callCheckSettings?: CallCheckSettings;
  log: Logger;
  /** Path of a scheduler-config.json stored at first start (the seed's shape). */
  schedulerConfigFile?: string | undefined;
  /** Workers run pg-boss maintenance and cron; the API does not. */
  supervise?: boolean;
  poolSize?: number;
  /** DATABASE_PREPARED_STATEMENTS (default true): see createDb. */
  preparedStatements?: boolean;
  /** Shift this process's clock (drills and end-to-end runs against the simulators only). */
  clockOffsetMs?: number;
  /** CONVOSO_SYNC_ENABLED: queue outcomes for Convoso (default true). */
  syncToConvoso?: boolean;
  /** DATABASE_OPTIMISTIC_WRITES (default true): see RedialContext.optimisticWrites. */
  optimisticWrites?: boolean;
  /** CONVOSO_STATUS_MAP's `STATUS:treatment` entries (parseStatusOverrides). */
  convosoStatusOverrides?: ConvosoStatusOverrides;
}

/** A shifted clock (CLOCK_OFFSET_SECONDS) asked for against a database not marked as a scratch one. */
export class ClockOffsetRefused extends Error {
  readonly code = "clock_offset_refused" as const;
  constructor() {
    super(
      "CLOCK_OFFSET_SECONDS is set, but this database is not a scratch database: a shifted clock is only for the tests and benchmarks on their throwaway databases (leads and attempts written under it keep the wrong times). Unset CLOCK_OFFSET_SECONDS (or set it to 0); to watch calls flow at any hour, run `pnpm demo`.",
    );
    this.name = "ClockOffsetRefused";
  }
}

export interface Runtime {
  ctx: RedialContext;
  /** Re-read the calendar now (after this process changed it). */
  invalidateCalendar(): Promise<void>;
  /** Stop fetching jobs, wait up to `graceMs` (default 10 s) for running handlers, close pg-boss and the pool. */
  stop(graceMs?: number): Promise<void>;
}

/** Connect to the database and the queue, store the first calendar, and build the context. */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const db = createDb(options.databaseUrl, {
    max: options.poolSize ?? 10,
    preparedStatements: options.preparedStatements ?? true,
    onConnectionError: (error) => options.log.warn({ err: error }, "database connection lost"),
  });
  if ((options.clockOffsetMs ?? 0) !== 0 && !(await isScratchDatabase(db))) {
    await db.destroy();
    throw new ClockOffsetRefused();
  }
  const boss = createBoss(options.databaseUrl, {
    ...(options.preparedStatements === false ? {} : { pgClient: PreparingClient }),
    supervise: options.supervise ?? false,
    schedule: options.supervise ?? false,
  });
  boss.on("error", (error) => options.log.error({ err: error }, "pg-boss error"));
  await boss.start();
  if (!(await ensureQueues(boss)))
    options.log.warn(
      "the index on queued dial jobs could not be created (the job table stayed locked); rescheduling reads the whole job table until a later start creates it",
    );
  await seedCalendar(db, readSchedulerConfigFile(options.schedulerConfigFile));
  const calendar = databaseCalendar(db);
  await calendar.refresh();
  const now = clockWithOffset(options.clockOffsetMs ?? 0);
  const callChecks = options.callCheckSettings
    ? databaseCallChecks(db, options.callCheckSettings, now)
    : undefined;
  const ctx: RedialContext = {
    db,
    boss,
    policy: options.policy,
    calendar,
    now,
    log: options.log,
    reconcileAfterMs: options.reconcileAfterMs,
    ...(callChecks ? { callChecks } : {}),
    syncToConvoso: options.syncToConvoso ?? true,
    optimisticWrites: options.optimisticWrites ?? true,
    convosoStatusOverrides: options.convosoStatusOverrides ?? {},
  };
  return {
    ctx,
    invalidateCalendar: async () => void (await calendar.refresh()),
    stop: async (graceMs = 10_000) => {
      calendar.stop();
      callChecks?.stop();
      await boss.stop({ graceful: true, timeout: graceMs });
      await db.destroy();
    },
  };
}

function clockWithOffset(offsetMs: number): () => Date {
  return offsetMs === 0 ? () => new Date() : () => new Date(Date.now() + offsetMs);
}

function readSchedulerConfigFile(path: string | undefined): unknown {
  if (!path) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(
      `SCHEDULER_CONFIG: cannot read ${path} as JSON (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
}
