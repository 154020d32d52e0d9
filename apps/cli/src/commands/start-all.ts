import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { withoutEmptyValues } from "@redial/config";
import { migrate, startEmbeddedPostgres } from "@redial/db";
import { prepareQueues } from "@redial/jobs";
import { type SupervisedChild, superviseChild } from "./child-supervisor.ts";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../../..");

/** Dev defaults of the all-in-one start: the simulator's keys, a local API key. */
export const SIMULATOR_DEFAULTS = {
  SIM_BLAND_API_KEY: "sim-bland-key",
  SIM_WEBHOOK_SECRET: "sim-webhook-secret",
  SIM_CONVOSO_TOKEN: "sim-convoso-token",
};
export const DEV_API_KEY = "dev-api-key-change-me";
const DEV_TASK = "You are a friendly assistant calling about the health plan the person asked about.";

export interface StartAllOptions {
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

/**
 * `pnpm start`: the whole system on one machine. PostgreSQL is embedded under .data/ unless
 * DATABASE_URL is set; Bland and Convoso are the simulator unless BLAND_API_URL /
 * CONVOSO_API_URL are set. Migrations are applied, then api, worker and simulator run as
 * supervised child processes (the same entry points as start:api / start:worker /
 * start:simulator), each restarted when it dies. SIGINT/SIGTERM stops the api and the worker,
 * then the simulator, then the embedded database; resolves when everything has stopped.
 */
export async function startAll(options: StartAllOptions): Promise<void> {
  const env = withoutEmptyValues(options.env);
  const database = env.DATABASE_URL
    ? { url: env.DATABASE_URL, stop: async () => undefined }
    : await startEmbeddedPostgres({
        dataDir: join(env.EMBEDDED_PG_DIR ?? join(REPO_ROOT, ".data/postgres"), "data"),
        port: Number(env.EMBEDDED_PG_PORT ?? 54320),
      });
  options.log(`database: ${env.DATABASE_URL ? "DATABASE_URL" : `embedded PostgreSQL (${database.url})`}`);
  const applied = await migrate(database.url);
  await prepareQueues(database.url);
  options.log(`migrations: ${applied.applied.length} applied, schema version ${applied.version}`);

  const system = startSystem({ env, databaseUrl: database.url, log: options.log });
  options.log(`api: ${system.apiUrl} (X-API-Key: ${system.apiKey}), docs at /docs; Ctrl-C stops everything`);
  await stopOnSignal(options.log, [system.stop, database.stop]);
}

export interface RunningSystem {
  apiUrl: string;
  apiKey: string;
  simulatorUrl: string;
  /** The api and the worker first (running dials finish), then the simulator. */
  stop(): Promise<void>;
}

/** api + worker (+ the simulator unless both real APIs are configured) as supervised children. */
export function startSystem(options: {
  env: Record<string, string>;
  databaseUrl: string;
  log: (line: string) => void;
}): RunningSystem {
  const env = options.env;
  const port = Number(env.PORT ?? 3000);
  const simPort = Number(env.SIM_PORT ?? 4010);
  const useSimulator = !env.BLAND_API_URL || !env.CONVOSO_API_URL;
  const simulatorUrl = `http://127.0.0.1:${simPort}`;
  const shared: Record<string, string> = {
    ...SIMULATOR_DEFAULTS,
    ...env,
    DATABASE_URL: options.databaseUrl,
    PORT: String(port),
    PUBLIC_URL: env.PUBLIC_URL ?? `http://127.0.0.1:${port}`,
    API_KEYS: env.API_KEYS ?? DEV_API_KEY,
    BLAND_API_URL: env.BLAND_API_URL ?? simulatorUrl,
    BLAND_API_KEY: env.BLAND_API_KEY ?? SIMULATOR_DEFAULTS.SIM_BLAND_API_KEY,
    BLAND_WEBHOOK_SECRET: env.BLAND_WEBHOOK_SECRET ?? SIMULATOR_DEFAULTS.SIM_WEBHOOK_SECRET,
    ...(env.BLAND_TASK || env.BLAND_PATHWAY_ID ? {} : { BLAND_TASK: DEV_TASK }),
    CONVOSO_API_URL: env.CONVOSO_API_URL ?? simulatorUrl,
    CONVOSO_AUTH_TOKEN: env.CONVOSO_AUTH_TOKEN ?? SIMULATOR_DEFAULTS.SIM_CONVOSO_TOKEN,
    CONVOSO_WEBHOOK_TOKEN: env.CONVOSO_WEBHOOK_TOKEN ?? "dev-convoso-webhook-token",
    SIM_PORT: String(simPort),
  };
  const child = (name: string, entry: string) =>
    superviseChild({ name, entry: join(REPO_ROOT, entry), env: shared, log: options.log });
  const simulator = useSimulator ? child("simulator", "apps/simulator/src/main.ts") : undefined;
  const first: SupervisedChild[] = [
    child("api", "apps/api/src/main.ts"),
    child("worker", "apps/worker/src/main.ts"),
  ];
  return {
    apiUrl: `http://127.0.0.1:${port}`,
    apiKey: shared.API_KEYS?.split(",")[0] ?? DEV_API_KEY,
    simulatorUrl,
    stop: async () => {
      await Promise.all(first.map((c) => c.stop()));
      await simulator?.stop();
    },
  };
}

/**
 * Wait for SIGINT or SIGTERM, then run `steps` one after the other. A second signal while
 * stopping changes nothing: the children are finishing their work, the database waits for them.
 */
export async function stopOnSignal(
  log: (line: string) => void,
  steps: ReadonlyArray<() => Promise<void>>,
): Promise<void> {
  const signal = await new Promise<string>((resolve) => {
    let received: string | undefined;
    const onSignal = (name: string) => {
      if (received) return; // pnpm passes the terminal's signal on as well: one stop is under way
      received = name;
      resolve(name);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
  log(`stopping (${signal}): the api and the worker first, the database last`);
  for (const step of steps) await step();
  log("stopped");
}
