import type { TestDatabase } from "@redial/db/testing";
import type { Runtime } from "@redial/services";
import { startTestRuntime } from "@redial/services/testing";
import type { FastifyInstance } from "fastify";
import { type AppOptions, buildApp } from "../src/index.ts";

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
export async function startApi(
  options: {
    syncToConvoso?: boolean;
    apiKeys?: string[];
    app?: Partial<Omit<AppOptions, "ctx">>;
    consentRequired?: "none" | "express" | "written";
  } = {},
): Promise<ApiHarness> {
  const { database, runtime } = await startTestRuntime(options);
  const app = await buildApp({
    ctx: runtime.ctx,
    apiKeys: options.apiKeys ?? [API_KEY],
    blandWebhookSecret: WEBHOOK_SECRET,
    convosoWebhookToken: CONVOSO_TOKEN,
    onCalendarChange: runtime.invalidateCalendar,
    ...options.app,
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
