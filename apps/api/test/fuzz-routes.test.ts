import { writeFileSync } from "node:fs";
import { signWebhook } from "@redial/bland";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY, type ApiHarness, CONVOSO_TOKEN, startApi, WEBHOOK_SECRET } from "./api-harness.ts";
import { formatSummary, fuzzRoutes } from "./fuzz/route-fuzzer.ts";

/** `pnpm test` runs a bounded number; `pnpm fuzz --runs N [--seed S]` sets these for a long run. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 250);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi({
    syncToConvoso: false,
    // Generated requests come from one address: rate limits would answer most of them 429.
    app: { limits: { authFailuresPerMinute: 1_000_000_000, webhooksPerMinute: null } },
  });
  api.setNow("2026-03-10T15:00:00Z");
});
afterAll(async () => api.close());

describe("every route of the OpenAPI document, fuzzed", () => {
  it(
    "no 5xx, every refusal is {error:{code,message}}, a refusal writes no row, every stored event is marked",
    async () => {
      const summary = await fuzzRoutes(
        api.app,
        api.runtime.ctx.db,
        {
          apiKey: API_KEY,
          convosoToken: CONVOSO_TOKEN,
          sign: (payload) => signWebhook(payload, WEBHOOK_SECRET),
        },
        { runs: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) },
      );
      const report = formatSummary(summary);
      if (process.env.FUZZ_REPORT) writeFileSync(process.env.FUZZ_REPORT, `${report}\n`);
      expect(summary.failure, report).toBeNull();
      expect(summary.runs).toBe(RUNS);
      // Every route was reached, and most answers got past authentication.
      expect(Object.keys(summary.statuses).length).toBeGreaterThanOrEqual(RUNS >= 200 ? 15 : 1);
    },
    60_000 + RUNS * 200,
  );
});
