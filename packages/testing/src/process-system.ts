import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { createTestDatabase, type TestDatabase } from "@redial/db/testing";
import { noonOffsetSeconds, OPEN_CALENDAR } from "@redial/simulator";
import { waitFor } from "./wait-for.ts";

/**
 * The whole system as real processes (the end-to-end tests, the dead-worker drill and its bench), started exactly as `pnpm start:*` starts them (the entry
 * points, configured only by the environment): one simulator, one API, N workers, and a fresh
 * migrated database. Their output is kept and shown only when a test fails.
 */

const REPO_ROOT = join(import.meta.dirname, "../../..");
const ENTRY = {
  simulator: join(REPO_ROOT, "apps/simulator/src/main.ts"),
  api: join(REPO_ROOT, "apps/api/src/main.ts"),
  worker: join(REPO_ROOT, "apps/worker/src/main.ts"),
} as const;

export const API_KEY = "e2e-api-key-0001";
const SIM_BLAND_KEY = "e2e-bland-key";
const SIM_WEBHOOK_SECRET = "e2e-webhook-secret";
const SIM_CONVOSO_TOKEN = "e2e-convoso-token";

/** The redial rules and fleet limits every api and worker process gets (fractions of a minute). */
export const E2E_ENV = {
  // Tests that are not about consent admit leads without one (a test about it sets written).
  CONSENT_REQUIRED: "none",
  REDIAL_PROGRESSIVE_INTERVALS: "0,0.01,0.02",
  REDIAL_MIN_GAP_MINUTES: "0.005",
  REDIAL_MAX_PER_DAY: "4",
  BLAND_MAX_DURATION_MINUTES: "0.05",
  RECONCILE_MARGIN_SECONDS: "1",
  DIAL_MAX_CONCURRENT: "40",
  DIAL_RATE_PER_SECOND: "100",
  WORKER_POLL_SECONDS: "0.5",
  LOG_LEVEL: "warn",
} as const;

/** 300 leads in Manhattan (212, Eastern) and 5 in Honolulu (808), where it is before 8 a.m. at Eastern noon. */
export function leadBatch(prefix: string): Array<Record<string, string>> {
  const leads = [];
  for (let i = 0; i < 300; i++)
    leads.push({
      phone: `212${prefix}${String(i).padStart(4, "0")}`,
      state: "NY",
      zip: "10001",
      source: "e2e",
    });
  for (let i = 0; i < 5; i++)
    leads.push({
      phone: `808${prefix}${String(i).padStart(4, "0")}`,
      state: "HI",
      zip: "96813",
      source: "e2e",
    });
  return leads;
}

/** The outcome mix: ~1 call in 6 ends redialing (SALE or DNC); callbacks wait past the run. */
export const OUTCOME_MIX = {
  sale: 1,
  dnc: 1,
  transferred: 1,
  callback: 1,
  voicemail: 3,
  no_answer: 3,
  busy: 2,
};

export interface SimStats {
  calls: { placed: number; inProgress: number; completed: number; rejectedByCaps: number };
  webhooks: {
    sent: number;
    delivered: number;
    failed: number;
    duplicated: number;
    dropped: number;
    pending: number;
  };
  faultsFired: Record<string, number>;
  violations: { total: number; counts: Record<string, number>; recent: unknown[] };
}

export interface SimCall {
  call_id: string;
  to: string;
  completed?: boolean;
  metadata?: { attempt_id?: number; lead_id?: number } | null;
}

export interface Child {
  name: string;
  process: ChildProcess;
  /** Killed on purpose: its exit is not a failure. */
  killed: boolean;
  exited: Promise<unknown>;
}

export interface RedialSystem {
  database: TestDatabase;
  apiUrl: string;
  simUrl: string;
  /** CLOCK_OFFSET_SECONDS of the api and the workers: their clock is real time + this. */
  offsetSeconds: number;
  workers: Child[];
  startWorker(): Child;
  /** Sends `signal` to a child and waits for it to exit. */
  kill(child: Child, signal: NodeJS.Signals): Promise<void>;
  /** Children that exited without being told to. */
  crashed(): string[];
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  simStats(): Promise<SimStats>;
  simCalls(): Promise<SimCall[]>;
  simConfig(patch: unknown): Promise<void>;
  /** Every line the children wrote, prefixed with their name. */
  output(): string;
  stop(): Promise<void>;
}

export interface SystemOptions {
  workers: number;
  /** The simulator's initial runtime config (SIM_CONFIG). */
  simulator: Record<string, unknown>;
  /** Extra environment for the api and the workers. */
  env?: Record<string, string>;
  /** A migrated database to run on (dropped by stop()); default: a fresh test database. */
  database?: TestDatabase;
}

/**
 * The kernel's range for outbound connections' local ports (Linux default 32768–60999). A port
 * picked from it (listen on 0) can be taken by any outbound connection between our close and the
 * child's listen — under a loaded test run with hundreds of connections that happened, and the
 * child failed with EADDRINUSE. So ports come from below the range, where only listeners live.
 */
const listenerPorts = { from: 15_000, to: 32_000 } as const;

/** Binds and closes `port` on 127.0.0.1: true when it was free. */
async function canListen(port: number): Promise<boolean> {
  const server = createServer();
  const listening = once(server, "listening").then(() => true);
  const failed = once(server, "error").then(() => false);
  server.listen(port, "127.0.0.1");
  const free = await Promise.race([listening, failed]);
  if (free) await new Promise((resolve) => server.close(resolve));
  return free;
}

/** A port free right now, outside the outbound range (a child cannot be told to listen on 0 and report). */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 200; tries += 1) {
    const port = listenerPorts.from + Math.floor(Math.random() * (listenerPorts.to - listenerPorts.from));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port in ${listenerPorts.from}–${listenerPorts.to} after 200 tries`);
}

export async function startSystem(options: SystemOptions): Promise<RedialSystem> {
  const database = options.database ?? (await createTestDatabase());
  const [apiPort, simPort] = [await freePort(), await freePort()];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const simUrl = `http://127.0.0.1:${simPort}`;
  const offsetSeconds = noonOffsetSeconds();
  const lines: string[] = [];
  const children: Child[] = [];
  const workers: Child[] = [];
  let stopping = false;

  const run = (name: string, entry: string, env: Record<string, string>): Child => {
    const child = spawn(process.execPath, [entry], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) if (line.trim()) lines.push(`[${name}] ${line}`);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    const record: Child = { name, process: child, killed: false, exited: once(child, "exit") };
    child.once("exit", (code, signal) => {
      if (!stopping && !record.killed) lines.push(`[${name}] EXITED UNEXPECTEDLY (${signal ?? code})`);
    });
    children.push(record);
    return record;
  };

  const shared = {
    ...E2E_ENV,
    ...options.env,
    DATABASE_URL: database.url,
    CLOCK_OFFSET_SECONDS: String(offsetSeconds),
  };
  const workerEnv = {
    ...shared,
    PUBLIC_URL: apiUrl,
    BLAND_API_URL: simUrl,
    BLAND_API_KEY: SIM_BLAND_KEY,
    BLAND_TASK: "End-to-end test agent",
    CONVOSO_API_URL: simUrl,
    CONVOSO_AUTH_TOKEN: SIM_CONVOSO_TOKEN,
  };
  let workerCount = 0;

  const system: RedialSystem = {
    database,
    apiUrl,
    simUrl,
    offsetSeconds,
    workers,
    startWorker() {
      const worker = run(`worker-${++workerCount}`, ENTRY.worker, workerEnv);
      workers.push(worker);
      return worker;
    },
    async kill(child, signal) {
      child.killed = true;
      child.process.kill(signal);
      await child.exited;
    },
    crashed: () =>
      children
        .filter((c) => !c.killed && (c.process.exitCode !== null || c.process.signalCode !== null))
        .map((c) => `${c.name} (${c.process.signalCode ?? c.process.exitCode})`),
    async api(method, path, body) {
      const response = await fetch(`${apiUrl}${path}`, {
        method,
        headers: {
          "x-api-key": API_KEY,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
      return JSON.parse(text);
    },
    simStats: () => getJson<SimStats>(`${simUrl}/_sim/stats`),
    simCalls: async () => (await getJson<{ calls: SimCall[] }>(`${simUrl}/_sim/calls`)).calls,
    async simConfig(patch) {
      const response = await fetch(`${simUrl}/_sim/config`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(patch),
      });
      if (!response.ok) throw new Error(`PUT /_sim/config: HTTP ${response.status} ${await response.text()}`);
    },
    output: () => lines.join("\n"),
    async stop() {
      stopping = true;
      await Promise.all(children.map((child) => stopChild(child)));
      await database.drop();
    },
  };

  try {
    run("simulator", ENTRY.simulator, {
      SIM_PORT: String(simPort),
      SIM_HOST: "127.0.0.1",
      SIM_BLAND_API_KEY: SIM_BLAND_KEY,
      SIM_WEBHOOK_SECRET: SIM_WEBHOOK_SECRET,
      SIM_CONVOSO_TOKEN: SIM_CONVOSO_TOKEN,
      SIM_HISTORY_CALLS: "0",
      SIM_CONFIG: JSON.stringify(options.simulator),
    });
    run("api", ENTRY.api, {
      ...shared,
      PORT: String(apiPort),
      HOST: "127.0.0.1",
      API_KEYS: API_KEY,
      BLAND_WEBHOOK_SECRET: SIM_WEBHOOK_SECRET,
    });
    await waitFor(() => isOk(`${simUrl}/_sim/stats`), "the simulator's /_sim/stats", 30_000, {
      everyMs: 100,
    });
    await waitFor(() => isOk(`${apiUrl}/readyz`), "the api's /readyz", 30_000, { everyMs: 100 });
    // Before any worker starts, so every worker's first read of the calendar is this one.
    await system.api("PUT", "/v1/admin/scheduler-config", OPEN_CALENDAR);
    for (let i = 0; i < options.workers; i++) system.startWorker();
    return system;
  } catch (error) {
    process.stderr.write(`${system.output()}\n`);
    await system.stop();
    throw error;
  }
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

async function isOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await response.arrayBuffer();
  return response.ok;
}

/** SIGTERM (workers finish their running jobs), SIGKILL after a few seconds. */
async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill("SIGTERM");
  const timeout = delay(8000).then(() => "timeout");
  if ((await Promise.race([child.exited, timeout])) === "timeout") {
    child.process.kill("SIGKILL");
    await child.exited;
  }
}
