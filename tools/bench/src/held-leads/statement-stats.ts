import { readFileSync } from "node:fs";
import pg from "pg";

/** One statement's counters in pg_stat_statements (top-level and nested alike). */
export interface StatementCounters {
  query: string;
  toplevel: boolean;
  calls: number;
  /** shared_blks_hit + shared_blks_read: the pages it touched. */
  blocks: number;
  execMs: number;
}

/** What this database's PostgreSQL did, up to one instant. */
export interface DatabaseSample {
  statements: Map<string, StatementCounters>;
  /** CPU of this database's backends, from /proc (ms). */
  backendCpuMs: number;
  /** pg_stat_statements' evictions so far (server-wide: other databases' statements push ours out). */
  evictions: number;
}

/** The work between two samples, summed over the top-level statements. */
export interface DatabaseWork {
  statements: number;
  blocks: number;
  execMs: number;
  backendCpuMs: number;
  /** Every statement (nested ones too) by its key, as deltas. */
  byStatement: Map<string, StatementCounters>;
}

/**
 * Reads pg_stat_statements and the backends' CPU of one database, over a connection of its own
 * (its own statements are left out of the figures). The database must have the extension; the
 * bench sets `pg_stat_statements.track = all` on it so the statements that functions and triggers
 * run are listed too (the totals count top-level statements only).
 */
export class StatementStats {
  private readonly client: pg.Client;
  private constructor(client: pg.Client) {
    this.client = client;
  }

  static async connect(url: string): Promise<StatementStats> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query("SELECT 1 FROM pg_stat_statements LIMIT 0");
    } catch (error) {
      await client.end();
      throw new Error(
        `pg_stat_statements cannot be read on this server (${error instanceof Error ? error.message : error}): add it to shared_preload_libraries in postgresql.conf and restart the server.`,
      );
    }
    return new StatementStats(client);
  }

  /** Whether the server behind `url` has pg_stat_statements loaded (the database needs the extension). */
  static async available(url: string): Promise<boolean> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ loaded: boolean }>(
        "SELECT 'pg_stat_statements' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ',')) AS loaded",
      );
      return rows[0]?.loaded ?? false;
    } finally {
      await client.end();
    }
  }

  async reset(): Promise<void> {
    await this.client.query("SELECT pg_stat_statements_reset()");
  }

  async sample(): Promise<DatabaseSample> {
    const { rows } = await this.client.query<{
      key: string;
      query: string;
      toplevel: boolean;
      calls: string;
      blocks: string;
      exec_ms: number;
    }>(
      `SELECT queryid::text || ':' || toplevel AS key, query, toplevel, calls,
              shared_blks_hit + shared_blks_read AS blocks, total_exec_time AS exec_ms
       FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%pg_stat_activity%'`,
    );
    const statements = new Map<string, StatementCounters>();
    for (const row of rows)
      statements.set(row.key, {
        query: row.query,
        toplevel: row.toplevel,
        calls: Number(row.calls),
        blocks: Number(row.blocks),
        execMs: row.exec_ms,
      });
    const info = await this.client.query<{ dealloc: string }>("SELECT dealloc FROM pg_stat_statements_info");
    return {
      statements,
      backendCpuMs: await this.backendCpuMs(),
      evictions: Number(info.rows[0]?.dealloc ?? 0),
    };
  }

  async end(): Promise<void> {
    await this.client.end();
  }

  /** CPU of every other backend connected to this database (utime + stime from /proc, Linux). */
  private async backendCpuMs(): Promise<number> {
    const { rows } = await this.client.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    let ticks = 0;
    for (const { pid } of rows) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        ticks += Number(fields[11]) + Number(fields[12]); // utime, stime in 1/100 s (Linux USER_HZ)
      } catch {
        // a backend that ended between the query and the read
      }
    }
    return ticks * 10;
  }
}

/** The work done between `before` and `after`. */
export function workBetween(before: DatabaseSample, after: DatabaseSample): DatabaseWork {
  const byStatement = new Map<string, StatementCounters>();
  let statements = 0;
  let blocks = 0;
  let execMs = 0;
  for (const [key, now] of after.statements) {
    const then = before.statements.get(key);
    const delta = {
      query: now.query,
      toplevel: now.toplevel,
      calls: now.calls - (then?.calls ?? 0),
      blocks: now.blocks - (then?.blocks ?? 0),
      execMs: now.execMs - (then?.execMs ?? 0),
    };
    if (delta.calls === 0) continue;
    byStatement.set(key, delta);
    if (!delta.toplevel) continue;
    statements += delta.calls;
    blocks += delta.blocks;
    execMs += delta.execMs;
  }
  return { statements, blocks, execMs, backendCpuMs: after.backendCpuMs - before.backendCpuMs, byStatement };
}

/** Two pieces of work added (the same phase over several rounds). */
export function addWork(a: DatabaseWork, b: DatabaseWork): DatabaseWork {
  const byStatement = new Map(a.byStatement);
  for (const [key, s] of b.byStatement) {
    const t = byStatement.get(key);
    byStatement.set(
      key,
      t ? { ...s, calls: t.calls + s.calls, blocks: t.blocks + s.blocks, execMs: t.execMs + s.execMs } : s,
    );
  }
  return {
    statements: a.statements + b.statements,
    blocks: a.blocks + b.blocks,
    execMs: a.execMs + b.execMs,
    backendCpuMs: a.backendCpuMs + b.backendCpuMs,
    byStatement,
  };
}

export const NO_WORK: DatabaseWork = Object.freeze({
  statements: 0,
  blocks: 0,
  execMs: 0,
  backendCpuMs: 0,
  byStatement: new Map(),
});
