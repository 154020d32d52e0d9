import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { PgBoss } from "pg-boss";
import { QUEUES } from "./catalog.ts";

/**
 * Every statement of ours that reads or writes pg-boss's tables (pgboss.*). pg-boss is reached
 * through its API everywhere else; here it cannot be at an acceptable cost (see each function).
 * Verified against exactly this pg-boss: packages/jobs/test/job-table-writes.test.ts fails on any
 * other installed version until the SQL is checked against it again (README: "Upgrading pg-boss").
 */
export const PG_BOSS_VERIFIED = Object.freeze({ version: "12.38.0", schemaVersion: 46 });

/** Our functions that write pg-boss's job table (sql/job-table-writes.sql). */
export const JOB_TABLE_WRITES_FILE = join(import.meta.dirname, "../sql/job-table-writes.sql");

/** Any constant: one installer of the job-table functions at a time. */
const INSTALL_LOCK_KEY = 7_301_994;

/** pg-boss's schema is not the version our job-table statements were verified against. */
export class PgBossSchemaMismatch extends Error {
  readonly code = "pg_boss_schema_mismatch" as const;
  constructor(found: number) {
    super(
      `pg-boss's schema in this database is version ${found}; packages/jobs/sql/job-table-writes.sql is verified against version ${PG_BOSS_VERIFIED.schemaVersion} (pg-boss ${PG_BOSS_VERIFIED.version}). Run the pg-boss version package.json pins, or re-verify that file against the new version first (packages/jobs/README.md).`,
    );
    this.name = "PgBossSchemaMismatch";
  }
}

/**
 * Install (or bring up to date) the functions of sql/job-table-writes.sql, after pg-boss created
 * its schema: refused when that schema is not the verified version; skipped when the installed
 * file's checksum (kept as the comment of redial_dial_job_put) is this file's.
 */
export async function installJobTableWrites(boss: PgBoss): Promise<void> {
  const db = boss.getDb();
  const { rows } = await db.executeSql("SELECT version FROM pgboss.version");
  const schema = Number((rows[0] as { version?: unknown } | undefined)?.version);
  if (schema !== PG_BOSS_VERIFIED.schemaVersion) throw new PgBossSchemaMismatch(schema);
  const text = readFileSync(JOB_TABLE_WRITES_FILE, "utf8");
  const mark = `job-table-writes.sql sha256:${createHash("sha256").update(text).digest("hex")}`;
  if ((await installedMark(boss)) === mark) return;
  // One implicit transaction (a multi-statement query): the lock is held until the last CREATE.
  await db.executeSql(
    `SELECT pg_advisory_xact_lock(${INSTALL_LOCK_KEY});
     SET LOCAL check_function_bodies = off;
     ${text}
     COMMENT ON FUNCTION redial_dial_job_put(bigint, double precision) IS '${mark}';`,
  );
}

async function installedMark(boss: PgBoss): Promise<string | null> {
  const { rows } = await boss
    .getDb()
    .executeSql(
      "SELECT obj_description(to_regprocedure('redial_dial_job_put(bigint, double precision)'), 'pg_proc') AS mark",
    );
  return (rows[0] as { mark: string | null } | undefined)?.mark ?? null;
}

/** Ours, on pg-boss's job table of the dial queue: see ensureQueuedJobIdIndex. */
export const QUEUED_JOB_ID_INDEX = "redial_queued_job_id";

/**
 * pg-boss moves a queued job (upsert by singleton key: every reschedule of a lead) with an
 * `UPDATE … WHERE id IN (target)` that does not name the queue, so before PostgreSQL 18 (whose
 * skip scan can use it) its (name, id) primary key cannot serve it and every row of the job table
 * is read: each dial and each result cost O(active leads). An index on the id of the queued jobs
 * makes it one probe. Created once, on whichever table pg-boss keeps the dial queue in (again at
 * a start after an upgrade of pg-boss rebuilt that table), and checked first, so a start does not
 * take the table's lock for nothing. The build blocks writes to that table while it runs (a
 * fraction of a second for 100,000 queued jobs); it waits at most `lockTimeoutMs` for running
 * transactions, else this start goes on without it (slower, not wrong: resolves false) and the
 * next start tries again.
 */
export async function ensureQueuedJobIdIndex(boss: PgBoss, lockTimeoutMs: number): Promise<boolean> {
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

/**
 * "No queued job of this key, and no running one", as two probes a pg-boss index serves each:
 * queued (created, retry: state < 'active') by (name, singleton_key) of job_common_i17, running by
 * (name, state) of job_common_i14 (few rows). One condition `state IN ('created', 'retry',
 * 'active')` matches no index's predicate: the planner hashed the whole job table for each batch
 * (1 s per 500 leads with 460,000 jobs queued, so a daily reset over a million leads ran for
 * hours; docs/performance.md, "Held leads").
 */
const NO_DIAL_JOB = (key: string, queue: string) => `
  NOT EXISTS (SELECT 1 FROM pgboss.job j WHERE j.name = ${queue} AND j.singleton_key = ${key} AND j.state < 'active')
  AND NOT EXISTS (SELECT 1 FROM pgboss.job j WHERE j.name = ${queue} AND j.singleton_key = ${key} AND j.state = 'active')`;

/**
 * Of these leads, those with no queued or running dial job (the heal sweep). One statement per
 * batch: pg-boss's findJobs() would be one round trip per lead.
 */
export async function leadsWithoutDialJob(boss: PgBoss, leadIds: readonly number[]): Promise<number[]> {
  if (leadIds.length === 0) return [];
  const { rows } = await boss.getDb().executeSql(
    `SELECT k::bigint AS id FROM unnest($1::text[]) k
     WHERE ${NO_DIAL_JOB("k", "$2")}
     ORDER BY 1`,
    [leadIds.map(String), QUEUES.dial.name],
  );
  return rows.map((row) => Number((row as { id: string }).id));
}

/**
 * Leads whose dial job failed in the last `lookbackSeconds` (its worker killed mid-dial, the job
 * threw) and that have no queued or running dial job now, in id order after `afterLeadId`: the
 * few leads a crash can strand, found from the failed jobs instead of a sweep over every lead.
 * findJobs() cannot filter by state.
 */
export async function leadsOfFailedDialJobs(
  boss: PgBoss,
  options: { lookbackSeconds: number; afterLeadId: number; limit: number },
): Promise<number[]> {
  const { rows } = await boss.getDb().executeSql(
    `SELECT DISTINCT f.singleton_key::bigint AS id FROM pgboss.job f
     WHERE f.name = $1 AND f.state = 'failed' AND f.completed_on >= now() - make_interval(secs => $2)
       AND f.singleton_key ~ '^[0-9]{1,15}$' AND f.singleton_key::bigint > $3
       AND ${NO_DIAL_JOB("f.singleton_key", "$1")}
     ORDER BY 1 LIMIT $4`,
    [QUEUES.dial.name, options.lookbackSeconds, options.afterLeadId, options.limit],
  );
  return rows.map((row) => Number((row as { id: string }).id));
}
