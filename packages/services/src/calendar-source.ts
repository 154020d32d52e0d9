import { type Db, findStoredSchedulerConfig, saveSchedulerConfig, seedSchedulerConfig } from "@redial/db";
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
 * The calendar lives in the database; every process re-reads it at most every `ttlMs`
 * (default 5 s), so a change made through the admin API reaches every worker within 10 s.
 */
export function databaseCalendar(
  db: Db,
  options: { ttlMs?: number; now?: () => number } = {},
): CalendarSource & { invalidate(): void } {
  const ttlMs = options.ttlMs ?? 5000;
  const clock = options.now ?? Date.now;
  let cached: { config: SchedulerConfig; at: number } | undefined;
  // One read at a time: callers inside transactions must not each take a pool connection.
  let inflight: Promise<SchedulerConfig> | undefined;
  const load = async () => {
    const stored = await findStoredSchedulerConfig(db);
    const config = stored ? parseSchedulerConfig(stored.config) : DEFAULT_SCHEDULER_CONFIG;
    cached = { config, at: clock() };
    return config;
  };
  return {
    async get() {
      if (cached && clock() - cached.at < ttlMs) return cached.config;
      inflight ??= load().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

/** First start: store the file's calendar (or the default) unless one is stored already. */
export async function seedCalendar(db: Db, fromFile: unknown | undefined): Promise<SchedulerConfig> {
  const initial = fromFile === undefined ? DEFAULT_SCHEDULER_CONFIG : parseSchedulerConfig(fromFile);
  return parseSchedulerConfig(await seedSchedulerConfig(db, initial));
}

export async function updateCalendar(db: Db, input: unknown): Promise<SchedulerConfig> {
  const config = parseSchedulerConfig(input);
  await saveSchedulerConfig(db, config);
  return config;
}
