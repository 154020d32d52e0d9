import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitFor } from "@redial/testing";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";

const REPO_ROOT = join(import.meta.dirname, "../../..");

/** `pnpm start` as a user runs it, in a process group of its own (as a terminal's foreground job is). */
function startPnpm(env: Record<string, string>): { process: ChildProcess; output: () => string } {
  let text = "";
  const child = spawn("pnpm", ["start"], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const keep = (chunk: Buffer) => {
    text += chunk.toString();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return { process: child, output: () => text };
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

/** Lines that say something went wrong: pino's error/fatal levels, stack traces, pnpm's failure line. */
function errorLines(output: string): string[] {
  return output
    .split("\n")
    .filter((line) => /"level":(50|60)|\bError\b|ELIFECYCLE|unsettled|EXITED/.test(line));
}

let dataDir: string | undefined;
let running: ChildProcess | undefined;
afterEach(async () => {
  if (running && running.exitCode === null && running.signalCode === null) {
    process.kill(-(running.pid ?? 0), "SIGKILL");
  }
  running = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

describe("pnpm start (real processes: pnpm, the supervisor, api, worker, simulator, embedded PostgreSQL)", () => {
  it("restarts a killed worker, and SIGTERM to its process group stops the children, then PostgreSQL, and exits 0 with no error logged", async ({
    onTestFailed,
  }) => {
    dataDir = mkdtempSync(join(tmpdir(), "redial-start-"));
    const [port, simPort, pgPort] = [await freePort(), await freePort(), await freePort()];
    const pgUrl = `postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres`;
    const start = startPnpm({
      PORT: String(port),
      SIM_PORT: String(simPort),
      EMBEDDED_PG_PORT: String(pgPort),
      EMBEDDED_PG_DIR: dataDir,
      LOG_LEVEL: "warn",
    });
    running = start.process;
    onTestFailed(() => void process.stderr.write(`--- pnpm start ---\n${start.output()}\n`));
    const exited = once(start.process, "exit");

    await waitFor(
      async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok,
      "the api's /readyz",
      90_000,
    );
    const firstWorker = /worker started \(pid (\d+)\)/.exec(start.output())?.[1];
    expect(firstWorker).toBeDefined();
    process.kill(Number(firstWorker), "SIGKILL");
    await waitFor(
      async () => /worker exited \(SIGKILL\); restarting it in 1\.0 s \(restart 1\)/.test(start.output()),
      "the supervisor to say it restarts the worker",
      30_000,
    );
    await waitFor(
      async () => (start.output().match(/worker started \(pid \d+\)/g) ?? []).length === 2,
      "a second worker process",
      30_000,
    );
    const secondWorker = [...start.output().matchAll(/worker started \(pid (\d+)\)/g)][1]?.[1];
    expect(secondWorker).not.toBe(firstWorker);

    process.kill(-(start.process.pid ?? 0), "SIGTERM");
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    const output = start.output();
    expect(errorLines(output)).toEqual([]);
    // In order: the children stopped before the database, and the database is gone.
    expect(output.indexOf("stopping (SIGTERM)")).toBeGreaterThan(0);
    expect(output.trimEnd().endsWith("stopped")).toBe(true);
    expect(await answers(pgUrl)).toBe(false);
  }, 180_000);
});
