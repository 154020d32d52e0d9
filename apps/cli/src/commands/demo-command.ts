import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { createDb, markAsScratchDatabase, migrate, startEmbeddedPostgres } from "@redial/db";
import { prepareQueues } from "@redial/jobs";
import { updateCalendar } from "@redial/services";
import { noonOffsetSeconds } from "@redial/simulator";
import type { Command } from "commander";
import { DEMO_CALENDAR, demoClock, demoLeads } from "./demo-leads.ts";
import { watchCalls } from "./demo-watch.ts";
import { DEV_API_KEY, startSystem, stopOnSignal } from "./start-all.ts";

/** Short intervals so redials show within a minute; the simulator's calls last a few seconds. */
const DEMO_ENV = {
  REDIAL_PROGRESSIVE_INTERVALS: "0,0.5,1,2",
  REDIAL_MIN_GAP_MINUTES: "0.5",
  BLAND_MAX_DURATION_MINUTES: "1",
  RECONCILE_MARGIN_SECONDS: "30",
  DIAL_RETRY_NOT_PLACED_SECONDS: "10",
  SIM_HISTORY_CALLS: "0",
  SIM_CONFIG: JSON.stringify({
    callDurationMs: 4000,
    callDurationJitterMs: 4000,
    minGapSeconds: 30,
    outcomeWeights: { sale: 1, dnc: 1, transferred: 1, voicemail: 3, no_answer: 4, busy: 2 },
  }),
  LOG_LEVEL: "warn",
  HOST: "127.0.0.1",
};
const DEMO_LEADS = 12;

export function registerDemoCommand(program: Command, log: (line: string) => void): void {
  program
    .command("demo")
    .description(
      "a throwaway system (embedded PostgreSQL in a temporary folder, the simulator as Bland) with leads that can be called now: calls flow within seconds; Ctrl-C removes it all",
    )
    .action(async () => runDemo(log));
}

/**
 * `pnpm demo`: everything `pnpm start` runs, on its own throwaway database (an embedded
 * PostgreSQL in a temporary folder, deleted at the end) and free ports, never the environment's
 * DATABASE_URL, Bland or Convoso: the simulator answers. The calendar is open all day every day;
 * the leads are seeded in the US zones where the law allows a call now (see demoClock). Each call
 * and result is printed as it happens, until SIGINT/SIGTERM.
 */
export async function runDemo(log: (line: string) => void): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), "redial-demo-"));
  const database = await startEmbeddedPostgres({ dataDir: join(folder, "data"), port: await freePort() });
  const removeAll = async () => {
    await database.stop();
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    await migrate(database.url);
    await prepareQueues(database.url);
    await markAsScratchDatabase(database.url, "postgres");
    const db = createDb(database.url, { max: 2 });
    await updateCalendar(db, DEMO_CALENDAR);
    const clock = demoClock(new Date(), noonOffsetSeconds);
    const [port, simPort] = [await freePort(), await freePort()];
    const system = startSystem({
      env: {
        PATH: process.env.PATH ?? "",
        ...DEMO_ENV,
        PORT: String(port),
        SIM_PORT: String(simPort),
        CLOCK_OFFSET_SECONDS: String(clock.offsetSeconds),
      },
      databaseUrl: database.url,
      log,
    });
    const stopSystem = async () => {
      await system.stop();
      await db.destroy();
    };
    let stopWatching: () => Promise<void>;
    try {
      log(`demo: database ${database.url} (in ${folder}, deleted at the end)`);
      if (clock.offsetSeconds !== 0)
        log(
          `demo: no US zone is inside its legal calling hours (08:00–21:00 local) right now, so the demo's processes run ${(-clock.offsetSeconds / 3600).toFixed(1)} h in the past (a shifted clock, allowed on this throwaway database only)`,
        );
      await waitForOk(`${system.simulatorUrl}/_sim/stats`);
      await waitForOk(`${system.apiUrl}/readyz`);
      const processNow = new Date(Date.now() + clock.offsetSeconds * 1000);
      stopWatching = await seedAndWatch(system.apiUrl, db, clock.places, processNow, log);
    } catch (error) {
      await stopSystem();
      throw error;
    }
    log(
      `demo: api ${system.apiUrl} (X-API-Key: ${DEV_API_KEY}), simulator ${system.simulatorUrl}/_sim/stats; Ctrl-C stops and deletes everything`,
    );
    await stopOnSignal(log, [stopWatching, stopSystem, removeAll]);
  } catch (error) {
    await removeAll();
    throw error;
  }
}

async function seedAndWatch(
  apiUrl: string,
  db: ReturnType<typeof createDb>,
  places: ReturnType<typeof demoClock>["places"],
  processNow: Date,
  log: (line: string) => void,
): Promise<() => Promise<void>> {
  const response = await fetch(`${apiUrl}/v1/leads/bulk`, {
    method: "POST",
    headers: { "x-api-key": DEV_API_KEY, "content-type": "application/json" },
    body: JSON.stringify({ leads: demoLeads(places, DEMO_LEADS, processNow) }),
  });
  if (!response.ok) throw new Error(`demo: the api refused the demo leads: ${await response.text()}`);
  log(`demo: ${DEMO_LEADS} leads in ${places.map((p) => p.city).join(", ")}; calls (lead's local time):`);
  return watchCalls(db, log);
}

async function waitForOk(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(url).then(
      async (r) => {
        await r.arrayBuffer();
        return r.ok;
      },
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`demo: ${url} did not answer within 60 s`);
    await delay(200);
  }
}

/** A port free right now (bind port 0, read it, close). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return address.port;
}
