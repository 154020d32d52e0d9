import { PgBoss, type Queue } from "pg-boss";
import { QUEUES } from "./catalog.ts";

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
 * Create (or bring up to date) every queue of the catalog, and our index on pg-boss's job table.
 * Idempotent. Resolves false when the index could not be created this time (see ensureQueuedJobIdIndex).
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

/** Ours, on pg-boss's job table of the dial queue: see ensureQueuedJobIdIndex. */
export const QUEUED_JOB_ID_INDEX = "redial_queued_job_id";

/** How long creating the index may wait for the job table's lock before the start goes on without it. */
const INDEX_LOCK_TIMEOUT_MS = 5000;

/**
 * pg-boss moves a queued job (upsert by singleton key: every reschedule of a lead) with an
 * `UPDATE … WHERE id IN (target)` that does not name the queue, so before PostgreSQL 18 (whose
 * skip scan can use it) its (name, id) primary key cannot serve it and every row of the job table
 * is read: each dial and each result cost
 * O(active leads). An index on the id of the queued jobs makes it one probe. Created once, on
 * whichever table pg-boss keeps the dial queue in (again at a start after an upgrade of pg-boss
 * rebuilt that table), and checked first, so a start does not take the table's lock for nothing.
 * The build blocks writes to that table while it runs (a fraction of a second for 100,000 queued
 * jobs); it waits at most INDEX_LOCK_TIMEOUT_MS for running transactions, else this start goes on
 * without it (slower, not wrong: resolves false) and the next start tries again.
 */
async function ensureQueuedJobIdIndex(boss: PgBoss, lockTimeoutMs: number): Promise<boolean> {
  const db = boss.getDb();
  const { rows } = await db.executeSql(
    `SELECT q.table_name, EXISTS (
       SELECT 1 FROM pg_indexes i
       WHERE i.schemaname = 'pgboss' AND i.tablename = q.table_name AND i.indexname = $2
     ) AS present
     FROM pgboss.queue q WHERE q.name = $1`,
    [QUEUES.dial.name, QUEUED_JOB_ID_INDEX],
  );
  const row = rows[0] as { table_name: string; present: boolean } | undefined;
  if (!row) throw new Error(`pg-boss has no "${QUEUES.dial.name}" queue: create the queues first.`);
  if (row.present) return true;
  try {
    // One implicit transaction: the lock timeout is this statement's alone. An index of that
    // name left on another table (pg-boss moved the queue) would make IF NOT EXISTS skip: dropped.
    await db.executeSql(
      `SET LOCAL lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))};
       DROP INDEX IF EXISTS pgboss.${QUEUED_JOB_ID_INDEX};
       CREATE INDEX IF NOT EXISTS ${QUEUED_JOB_ID_INDEX} ON pgboss.${quoteIdent(row.table_name)} (id) WHERE state < 'active'`,
    );
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code;
    // 23505: two processes starting at once, the other one created it; 55P03: the lock timed out.
    if (code === "23505") return true;
    if (code === "55P03") return false;
    throw error;
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
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

/**
 * The pg-boss schema version migration 0010's job statements (redial_dial_job_put,
 * redial_job_insert) are written against; packages/services/test/single-statement-writes.test.ts holds them to
 * pg-boss's own rows.
 */
export const JOB_STATEMENTS_SCHEMA_VERSION = 46;

/** Whether migration 0010's job statements match the pg-boss schema of this database. */
export async function jobStatementsMatchSchema(boss: PgBoss): Promise<boolean> {
  const { rows } = await boss.getDb().executeSql("SELECT version FROM pgboss.version");
  return Number((rows[0] as { version?: unknown } | undefined)?.version) === JOB_STATEMENTS_SCHEMA_VERSION;
}
