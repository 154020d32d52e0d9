import { setTimeout as delay } from "node:timers/promises";
import { migrate, type RunningPostgres, startEmbeddedPostgres } from "@redial/db";
import { prepareQueues } from "@redial/jobs";
import pg from "pg";

/**
 * The bench's database: a scratch database on a server (DATABASE_URL, else the embedded one),
 * migrated like production, dropped at the end. Commits are read from pg_stat_database over a
 * connection to the server's maintenance database, so reading them never counts as a commit of
 * the bench database.
 */
export interface ScratchDatabase {
  name: string;
  url: string;
  serverVersion: string;
  /**
   * The bench database's xact_commit once every other connection to it has closed. A backend
   * flushes its counters when it exits (while it runs, up to ~1 s, or 10 s when idle, behind), so
   * phases close all their connections before reading this: the deltas are exact.
   */
  settledCommits(): Promise<number>;
  /** One statement on the bench database from the bench itself (counted: see `ownStatements`). */
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  /** The pids of every backend connected to the bench database now (read over the maintenance connection). */
  backendPids(): Promise<number[]>;
  /** Statements `query` ran (each one an autocommit transaction, i.e. one xact_commit). */
  ownStatements(): number;
  drop(): Promise<void>;
}

export interface BenchServer {
  url: string;
  description: string;
  stop(): Promise<void>;
}

/** DATABASE_URL names a server (its database is only used to connect); else the embedded one. */
export async function openBenchServer(options: {
  databaseUrl: string | undefined;
  embeddedDataDir: string;
  embeddedPort: number;
}): Promise<BenchServer> {
  if (options.databaseUrl) {
    const url = new URL(options.databaseUrl);
    return {
      url: options.databaseUrl,
      description: `DATABASE_URL (${url.host})`,
      stop: async () => undefined,
    };
  }
  const server: RunningPostgres = await startEmbeddedPostgres({
    dataDir: options.embeddedDataDir,
    port: options.embeddedPort,
  });
  return {
    url: server.url,
    description: `embedded PostgreSQL (127.0.0.1:${options.embeddedPort})`,
    stop: server.stop,
  };
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** CREATE DATABASE redial_bench_<pid>, our migrations, pg-boss's schema and our queues. */
export async function createScratchDatabase(serverUrl: string, name: string): Promise<ScratchDatabase> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Invalid scratch database name "${name}".`);
  const monitor = new pg.Client({ connectionString: serverUrl });
  await monitor.connect();
  try {
    await monitor.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await monitor.query(`CREATE DATABASE ${name}`);
    await monitor.query(`ALTER DATABASE ${name} SET redial.scratch_database = 'on'`); // its processes run a shifted clock
  } catch (error) {
    await monitor.end();
    throw new Error(
      `Cannot create the scratch database ${name} on ${new URL(serverUrl).host}: ${error instanceof Error ? error.message : String(error)}. ` +
        "DATABASE_URL must name a server where this user may CREATE DATABASE.",
    );
  }
  const url = withDatabase(serverUrl, name);
  await migrate(url);
  await prepareQueues(url);
  // The bench's own statements (reads between phases); reopened lazily after each settle.
  let pool = benchPool(url);
  const version = await monitor.query<{ server_version: string }>("SHOW server_version");
  let statements = 0;

  const readCommits = async (): Promise<number> => {
    const { rows } = await monitor.query<{ xact_commit: string }>(
      "SELECT xact_commit FROM pg_stat_database WHERE datname = $1",
      [name],
    );
    return Number(rows[0]?.xact_commit ?? 0);
  };

  return {
    name,
    url,
    serverVersion: version.rows[0]?.server_version ?? "?",
    async settledCommits() {
      // The bench's own pool is closed too: its counters reach the server when its backends exit.
      await pool.end().catch(() => undefined);
      pool = benchPool(url);
      await waitForNoConnections(monitor, name);
      // A backend leaves pg_stat_activity a moment before its last counters are flushed.
      let last = await readCommits();
      for (;;) {
        await delay(150);
        const next = await readCommits();
        if (next === last) return next;
        last = next;
      }
    },
    async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []) {
      statements++;
      const result = await pool.query<R>(text, values);
      return result.rows;
    },
    async backendPids() {
      const { rows } = await monitor.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE datname = $1",
        [name],
      );
      return rows.map((row) => Number(row.pid));
    },
    ownStatements: () => statements,
    async drop() {
      await pool.end().catch(() => undefined);
      await monitor.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await monitor.end().catch(() => undefined);
    },
  };
}

/** A backend that ends while the pool closes (DROP DATABASE … WITH (FORCE)) is not an error here. */
function benchPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on("error", () => undefined);
  return pool;
}

/** Until no backend is connected to `name` (a phase's pools and pg-boss instances have closed). */
async function waitForNoConnections(monitor: pg.Client, name: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await monitor.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1",
      [name],
    );
    if ((rows[0]?.n ?? 0) === 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `${rows[0]?.n} connections to ${name} are still open ${timeoutMs} ms after the phase stopped: a pool or pg-boss instance was not closed.`,
      );
    await delay(50);
  }
}
