import { createLogger } from "@redial/config";
import { createTestDatabase, type TestDatabase } from "@redial/db/testing";
import { DEFAULT_REDIAL_POLICY } from "@redial/domain";
import { type Runtime, startRuntime } from "@redial/services";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../src/index.ts";

export const API_KEY = "test-api-key-0001";
export const WEBHOOK_SECRET = "test-webhook-secret";
export const CONVOSO_TOKEN = "test-convoso-token";

export interface ApiHarness {
  app: FastifyInstance;
  runtime: Runtime;
  database: TestDatabase;
  /** Set the clock every use case reads. */
  setNow(iso: string): void;
  close(): Promise<void>;
}

/** The API over a fresh database, with a clock the test sets (no listening socket: app.inject). */
export async function startApi(options: { syncToConvoso?: boolean } = {}): Promise<ApiHarness> {
  const database = await createTestDatabase();
  const runtime = await startRuntime({
    databaseUrl: database.url,
    policy: DEFAULT_REDIAL_POLICY,
    reconcileAfterMs: 32 * 60_000,
    log: createLogger({ name: "test", level: "silent", pretty: false }),
    poolSize: 3,
    syncToConvoso: options.syncToConvoso ?? true,
  });
  const app = await buildApp({
    ctx: runtime.ctx,
    apiKeys: [API_KEY],
    blandWebhookSecret: WEBHOOK_SECRET,
    convosoWebhookToken: CONVOSO_TOKEN,
    onCalendarChange: runtime.invalidateCalendar,
  });
  let now = new Date();
  runtime.ctx.now = () => now;
  return {
    app,
    runtime,
    database,
    setNow(iso) {
      now = new Date(iso);
    },
    async close() {
      await app.close();
      await runtime.stop();
      await database.drop();
    },
  };
}
