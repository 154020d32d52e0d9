import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../src/index.ts";
import { blandClient, callRequest, configure, getJson, startTestSimulator, testPhone } from "./helpers.ts";

let sim: RunningSimulator;

interface Stats {
  violations: {
    total: number;
    counts: Record<string, number>;
    recent: Array<{ kind: string; phone: string }>;
  };
  calls: { placed: number };
}

beforeAll(async () => {
  sim = await startTestSimulator({ historyCalls: 0 });
});
afterAll(() => sim.close());
beforeEach(async () => {
  await fetch(`${sim.url}/_sim/reset`, { method: "POST" });
  await configure(sim, { callDurationMs: 60_000 });
});

const stats = () => getJson<Stats>(`${sim.url}/_sim/stats`);
const dial = (phone = testPhone()) =>
  blandClient(sim).createCall(callRequest("http://127.0.0.1:9/none", phone));

describe("violations the simulator reports", () => {
  it("two calls to one number closer than minGapSeconds", async () => {
    const phone = testPhone();
    await dial(phone);
    await dial(phone);
    const s = await stats();
    expect(s.violations.counts.min_gap).toBe(1);
    expect(s.violations.recent[0]).toMatchObject({ kind: "min_gap", phone });
  });

  it("no min-gap violation for different numbers, or when the gap is allowed", async () => {
    await dial();
    await dial();
    await configure(sim, { minGapSeconds: 0 });
    const phone = testPhone();
    await dial(phone);
    await dial(phone);
    expect((await stats()).violations.total).toBe(0);
  });

  it("more calls in progress than the cap, reported even when not enforced", async () => {
    await configure(sim, { caps: { concurrent: 1, enforce: false } });
    await dial();
    await dial();
    const s = await stats();
    expect(s.violations.counts.concurrency).toBe(1);
    expect(s.calls.placed).toBe(2);
  });

  it("more calls per hour than the hourly cap", async () => {
    await configure(sim, { caps: { perHour: 2, enforce: false } });
    for (let i = 0; i < 4; i++) await dial();
    expect((await stats()).violations.counts.hourly).toBe(2);
  });

  it("reset clears them", async () => {
    const phone = testPhone();
    await dial(phone);
    await dial(phone);
    await fetch(`${sim.url}/_sim/reset`, { method: "POST" });
    expect((await stats()).violations.total).toBe(0);
  });
});
