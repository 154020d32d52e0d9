import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { freePort, waitFor } from "@redial/testing";

const API_ENTRY = join(import.meta.dirname, "../../../../apps/api/src/main.ts");

export interface ApiProcess {
  url: string;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * The real API (`pnpm start:api`'s entry point) on `databaseUrl`, configured only by the
 * environment: the webhook's rate limit off (a load generator is one client IP), logs at warn.
 */
export async function startApiProcess(
  databaseUrl: string,
  secret: string,
  env: Record<string, string>,
): Promise<ApiProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const lines: string[] = [];
  const child: ChildProcess = spawn(
    process.execPath,
    [...(process.env.API_NODE_OPTIONS?.split(" ").filter(Boolean) ?? []), API_ENTRY],
    {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: "127.0.0.1",
        API_KEYS: "bench-api-key-0001",
        BLAND_WEBHOOK_SECRET: secret,
        WEBHOOK_RATE_LIMIT_PER_MINUTE: "0",
        CONSENT_REQUIRED: "none",
        LOG_LEVEL: "warn",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const keep = (chunk: Buffer) => lines.push(chunk.toString());
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = once(child, "exit");
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`the api exited: ${lines.join("")}`);
      return (await fetch(`${url}/readyz`)).ok;
    },
    "the api's /readyz",
    60_000,
    { everyMs: 100 },
  );
  return {
    url,
    pid: child.pid ?? 0,
    output: () => lines.join(""),
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}
