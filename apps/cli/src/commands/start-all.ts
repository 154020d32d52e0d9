import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { migrate, startEmbeddedPostgres } from "@redial/db";
import { prepareQueues } from "@redial/jobs";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../../..");

/** Dev defaults of the all-in-one start: the simulator's keys, a local API key. */
const SIMULATOR_DEFAULTS = {
  SIM_BLAND_API_KEY: "sim-bland-key",
  SIM_WEBHOOK_SECRET: "sim-webhook-secret",
  SIM_CONVOSO_TOKEN: "sim-convoso-token",
};
export const DEV_API_KEY = "dev-api-key-change-me";

export interface StartAllOptions {
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

/**
 * `pnpm start`: the whole system on one machine. PostgreSQL is embedded under .data/ unless
 * DATABASE_URL is set; Bland and Convoso are the simulator unless BLAND_API_URL /
 * CONVOSO_API_URL are set. Migrations are applied, then api, worker and simulator run as
 * child processes (the same entry points as start:api / start:worker / start:simulator).
 * Ctrl-C stops everything, the embedded database last.
 */
export async function startAll(options: StartAllOptions): Promise<void> {
  const env = options.env;
  const database = env.DATABASE_URL
    ? { url: env.DATABASE_URL, stop: async () => undefined }
    : await startEmbeddedPostgres({
        dataDir: join(REPO_ROOT, ".data/postgres/data"),
        port: Number(env.EMBEDDED_PG_PORT ?? 54320),
      });
  options.log(`database: ${env.DATABASE_URL ? "DATABASE_URL" : `embedded PostgreSQL (${database.url})`}`);
  const applied = await migrate(database.url);
  await prepareQueues(database.url);
  options.log(`migrations: ${applied.applied.length} applied, schema version ${applied.version}`);

  const port = Number(env.PORT ?? 3000);
  const simPort = Number(env.SIM_PORT ?? 4010);
  const useSimulator = !env.BLAND_API_URL || !env.CONVOSO_API_URL;
  const simulatorUrl = `http://127.0.0.1:${simPort}`;
  const shared: NodeJS.ProcessEnv = {
    ...SIMULATOR_DEFAULTS,
    ...env,
    DATABASE_URL: database.url,
    PORT: String(port),
    PUBLIC_URL: env.PUBLIC_URL ?? `http://127.0.0.1:${port}`,
    API_KEYS: env.API_KEYS ?? DEV_API_KEY,
    BLAND_API_URL: env.BLAND_API_URL ?? simulatorUrl,
    BLAND_API_KEY: env.BLAND_API_KEY ?? SIMULATOR_DEFAULTS.SIM_BLAND_API_KEY,
    BLAND_WEBHOOK_SECRET: env.BLAND_WEBHOOK_SECRET ?? SIMULATOR_DEFAULTS.SIM_WEBHOOK_SECRET,
    BLAND_TASK:
      env.BLAND_TASK ??
      (env.BLAND_PATHWAY_ID
        ? undefined
        : "You are a friendly assistant calling about the health plan the person asked about."),
    CONVOSO_API_URL: env.CONVOSO_API_URL ?? simulatorUrl,
    CONVOSO_AUTH_TOKEN: env.CONVOSO_AUTH_TOKEN ?? SIMULATOR_DEFAULTS.SIM_CONVOSO_TOKEN,
    CONVOSO_WEBHOOK_TOKEN: env.CONVOSO_WEBHOOK_TOKEN ?? "dev-convoso-webhook-token",
    SIM_PORT: String(simPort),
  };

  const children: ChildProcess[] = [];
  const run = (name: string, entry: string) => {
    // Same Node flags as this process (type stripping on Node 22.12–22.17).
    const child = spawn(process.execPath, [...process.execArgv, join(REPO_ROOT, entry)], {
      env: shared,
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.once("exit", (code, signal) => options.log(`${name} exited (${signal ?? code})`));
    children.push(child);
  };
  if (useSimulator) run("simulator", "apps/simulator/src/main.ts");
  run("api", "apps/api/src/main.ts");
  run("worker", "apps/worker/src/main.ts");
  options.log(
    `api: http://127.0.0.1:${port} (X-API-Key: ${shared.API_KEYS?.split(",")[0]}), docs at /docs; Ctrl-C stops everything`,
  );

  const stop = async () => {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(
      children.filter((c) => c.exitCode === null && c.signalCode === null).map((c) => once(c, "exit")),
    );
    await database.stop();
  };
  await new Promise<void>((resolve) => {
    const finish = () => void stop().then(resolve);
    process.once("SIGINT", finish);
    process.once("SIGTERM", finish);
    // If a child dies on its own, take the rest down rather than run half a system.
    for (const child of children)
      child.once("exit", () =>
        children.every((c) => c.exitCode !== null || c.signalCode !== null) ? undefined : finish(),
      );
  });
}
