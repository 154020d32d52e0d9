import { PgBoss, type Queue } from "pg-boss";
import { QUEUES } from "./catalog.ts";
import { ensureQueuedJobIdIndex, installJobTableWrites } from "./job-table.ts";

/** How long creating our index on the job table may wait for its lock before the start goes on without it. */
const INDEX_LOCK_TIMEOUT_MS = 5000;

export interface BossOptions {
  /** Run pg-boss maintenance and cron in this process (workers do; the API does not). */
  supervise?: boolean;
  schedule?: boolean;
  max?: number;
  /** The pg client class of pg-boss's own pool (the runtime passes @redial/db's PreparingClient). */
  pgClient?: new (
    ...args: never[]
  ) => unknown;
}

export function createBoss(connectionString: string, options: BossOptions = {}): PgBoss {
  return new PgBoss({
    connectionString,
    max: options.max ?? 5,
    supervise: options.supervise ?? false,
    schedule: options.schedule ?? false,
    maintenanceIntervalSeconds: 300,
    // Dead-job detection: a pass every 5 s, which fails each queue's jobs past their heartbeat or
    // expiry once its monitor interval has passed (pg-boss's default 60 s made a killed worker's
    // dial job fail 11–61 s after the kill; now 10–20 s). Passes are claimed in the database: one
    // per interval for the whole fleet.
    superviseIntervalSeconds: 5,
    monitorIntervalSeconds: 5,
    migrate: true,
    // Handed on to pg.Pool, which pg-boss builds from these options.
    ...(options.pgClient ? ({ Client: options.pgClient } as object) : {}),
  });
}

/**
 * Create (or bring up to date) every queue of the catalog, our functions that write pg-boss's job
 * table (refused when pg-boss's schema is not the verified one: PgBossSchemaMismatch) and our index
 * on it. Idempotent. Resolves false when the index could not be created this time (see
 * ensureQueuedJobIdIndex).
 */
export async function ensureQueues(
  boss: PgBoss,
  options: { indexLockTimeoutMs?: number } = {},
): Promise<boolean> {
  for (const queue of Object.values(QUEUES)) {
    const existing = await boss.getQueue(queue.name);
    if (!existing) await boss.createQueue(queue.name, { ...queue.options });
    else {
      const changed = changedQueueOptions(queue.options, existing);
      if (changed) await boss.updateQueue(queue.name, changed);
    }
  }
  await installJobTableWrites(boss);
  return ensureQueuedJobIdIndex(boss, options.indexLockTimeoutMs ?? INDEX_LOCK_TIMEOUT_MS);
}

/** The options pg-boss lets a queue change after its creation (its policy is fixed). */
const UPDATABLE_OPTIONS = [
  "retryLimit",
  "retryDelay",
  "retryBackoff",
  "retryDelayMax",
  "expireInSeconds",
  "retentionSeconds",
  "deleteAfterSeconds",
  "heartbeatSeconds",
  "deadLetter",
] as const;

/**
 * The catalog's options that differ from the queue's in the database (a queue created by an
 * earlier version: e.g. dial before it had a dead letter), or undefined when none do.
 */
function changedQueueOptions(wanted: Partial<Queue>, existing: Partial<Queue>): Partial<Queue> | undefined {
  const changed = UPDATABLE_OPTIONS.filter((key) => key in wanted && wanted[key] !== existing[key]);
  if (changed.length === 0) return undefined;
  return Object.fromEntries(changed.map((key) => [key, wanted[key]])) as Partial<Queue>;
}

/** Install pg-boss's schema and our queues in a database, then disconnect (migrations, test templates). */
export async function prepareQueues(connectionString: string): Promise<void> {
  const boss = createBoss(connectionString, { max: 2 });
  boss.on("error", () => undefined);
  await boss.start();
  try {
    await ensureQueues(boss);
  } finally {
    await boss.stop({ graceful: false });
  }
}
