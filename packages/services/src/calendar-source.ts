import {
  type Actor,
  type Db,
  findStoredSchedulerConfig,
  inTransaction,
  recordAudit,
  saveSchedulerConfig,
  seedSchedulerConfig,
} from "@redial/db";
import { DEFAULT_SCHEDULER_CONFIG, type SchedulerConfig, schedulerConfigSchema } from "@redial/domain";
import type { CalendarSource } from "./context.ts";

export class InvalidSchedulerConfig extends Error {
  readonly code = "invalid_scheduler_config" as const;
  readonly issues: string[];
  constructor(issues: string[]) {
    super(`Invalid scheduler config: ${issues.join("; ")}`);
    this.name = "InvalidSchedulerConfig";
    this.issues = issues;
  }
}

export function parseSchedulerConfig(input: unknown): SchedulerConfig {
  const result = schedulerConfigSchema.safeParse(input);
  if (!result.success) {
    throw new InvalidSchedulerConfig(
      result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`),
    );
  }
  return result.data;
}

/**
 * The calendar lives in the database. Each process keeps the last copy it read and re-reads it
 * every `refreshMs` (default 5 s) in the background, so a change made through the admin API
 * reaches every worker within 10 s — and `get()` never takes a database connection once the
 * first read is done (it is called inside transactions: a second connection there could starve
 * the pool).
 */
export function databaseCalendar(
  db: Db,
  options: { refreshMs?: number } = {},
): CalendarSource & { refresh(): Promise<SchedulerConfig>; stop(): void } {
  let cached: SchedulerConfig | undefined;
  let inflight: Promise<SchedulerConfig> | undefined;
  const refresh = () => {
    inflight ??= findStoredSchedulerConfig(db)
      .then((stored) => {
        cached = stored ? parseSchedulerConfig(stored.config) : DEFAULT_SCHEDULER_CONFIG;
        return cached;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };
  const timer = setInterval(() => void refresh().catch(() => undefined), options.refreshMs ?? 5000);
  timer.unref();
  return {
    get: async () => cached ?? refresh(),
    refresh,
    stop: () => clearInterval(timer),
  };
}

/** First start: store the file's calendar (or the default) unless one is stored already. */
export async function seedCalendar(db: Db, fromFile: unknown | undefined): Promise<SchedulerConfig> {
  const initial = fromFile === undefined ? DEFAULT_SCHEDULER_CONFIG : parseSchedulerConfig(fromFile);
  return parseSchedulerConfig(await seedSchedulerConfig(db, initial));
}

/** Validate and store a new calendar; `by` (an operator) is recorded in the audit log with it. */
export async function updateCalendar(db: Db, input: unknown, by?: Actor): Promise<SchedulerConfig> {
  const config = parseSchedulerConfig(input);
  await inTransaction(db, async (trx) => {
    await saveSchedulerConfig(trx, config);
    if (by) await recordAudit(trx, by, { action: "scheduler_config.update", details: { config } });
  });
  return config;
}
