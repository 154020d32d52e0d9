import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../src/index.ts";
import { parseSimulatorConfig, updateSimulatorConfig } from "../src/simulator-config.ts";
import { simulatorEnvSchema } from "../src/simulator-env.ts";
import { blandClient, callRequest, getJson, startTestSimulator } from "./helpers.ts";

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startTestSimulator({ historyCalls: 10, requestLogSize: 3 });
});
afterAll(() => sim.close());

describe("config", () => {
  it("a partial update keeps the rest, and outcome weights are replaced whole", () => {
    const base = parseSimulatorConfig({});
    const next = updateSimulatorConfig(base, {
      faults: { rateLimit: { next: 2 } },
      outcomeWeights: { sale: 1 },
    });
    expect(next.faults.rateLimit).toEqual({ probability: 0, next: 2, retryAfterSeconds: 1 });
    expect(next.faults.serverErrorAfterPlacing.status).toBe(502);
    expect(next.outcomeWeights).toEqual({ sale: 1 });
  });

  it("PUT /_sim/config refuses a bad value with 400 naming the field", async () => {
    const response = await fetch(`${sim.url}/_sim/config`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ faults: { rateLimit: { probability: 2 } } }),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain("faults.rateLimit.probability");
  });

  it("PUT /_sim/config refuses unknown keys", async () => {
    const response = await fetch(`${sim.url}/_sim/config`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ callDuration: 5 }),
    });
    expect(response.status).toBe(400);
  });

  it("the environment schema names a bad variable", () => {
    const result = simulatorEnvSchema.safeParse({ SIM_PORT: "abc" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["SIM_PORT"]);
    expect(simulatorEnvSchema.safeParse({ SIM_HISTORY_FROM: "yesterday" }).error?.issues[0]?.path).toEqual([
      "SIM_HISTORY_FROM",
    ]);
    expect(simulatorEnvSchema.parse({}).SIM_PORT).toBe(4010);
  });
});

describe("recording", () => {
  it("counts requests per route and status, and keeps only the last N requests", async () => {
    await fetch(`${sim.url}/_sim/reset`, { method: "POST" });
    const client = blandClient(sim);
    await client.createCall(callRequest("http://127.0.0.1:9/none"));
    await client.getCall("missing").catch(() => undefined);
    for (let i = 0; i < 3; i++) await client.listCalls({ limit: 1 });
    const stats = await getJson<{ requests: Record<string, Record<string, number>> }>(
      `${sim.url}/_sim/stats`,
    );
    expect(stats.requests["POST /v1/calls"]).toEqual({ "200": 1 });
    expect(stats.requests["GET /v1/calls/:id"]).toEqual({ "404": 1 });
    expect(stats.requests["GET /v1/calls"]).toEqual({ "200": 3 });
    const { requests } = await getJson<{ requests: Array<{ route: string }> }>(`${sim.url}/_sim/requests`);
    expect(requests.map((r) => r.route)).toEqual(["GET /v1/calls", "GET /v1/calls", "GET /v1/calls"]);
  });
});
