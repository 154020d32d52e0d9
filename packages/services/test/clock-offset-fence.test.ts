import { createLogger } from "@redial/config";
import { markAsScratchDatabase } from "@redial/db";
import { adminQuery, createTestDatabase, type TestDatabase } from "@redial/db/testing";
import { DEFAULT_REDIAL_POLICY } from "@redial/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClockOffsetRefused, startRuntime } from "../src/index.ts";

let database: TestDatabase;
let serverUrl: string;
let name: string;
beforeAll(async () => {
  database = await createTestDatabase();
  const url = new URL(database.url);
  name = url.pathname.slice(1);
  url.pathname = "/postgres";
  serverUrl = url.toString();
});
afterAll(async () => {
  await database.drop();
});

const start = (clockOffsetMs: number) =>
  startRuntime({
    databaseUrl: database.url,
    policy: DEFAULT_REDIAL_POLICY,
    reconcileAfterMs: 60_000,
    log: createLogger({ name: "test", level: "silent", pretty: false }),
    poolSize: 2,
    clockOffsetMs,
  });

describe("CLOCK_OFFSET_SECONDS (a shifted clock) only against a scratch database", () => {
  it("is refused on a database nobody marked as scratch, with a message that says what to do", async () => {
    await adminQuery(serverUrl, `ALTER DATABASE ${name} RESET redial.scratch_database`);
    await expect(start(-3600_000)).rejects.toThrow(ClockOffsetRefused);
    await expect(start(-3600_000)).rejects.toThrow(/Unset CLOCK_OFFSET_SECONDS.*pnpm demo/);
    // The real clock starts anywhere.
    const runtime = await start(0);
    await runtime.stop();
  });

  it("runs on a scratch database (the tests', the bench's, the demo's), its clock shifted", async () => {
    await markAsScratchDatabase(serverUrl, name);
    const runtime = await start(-3600_000);
    try {
      expect(Math.round((runtime.ctx.now().getTime() - Date.now()) / 60_000)).toBe(-60);
    } finally {
      await runtime.stop();
    }
  });
});
