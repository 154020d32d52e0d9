import { createDb } from "@redial/db";
import { createTestDatabase } from "@redial/db/testing";
import { noonOffsetSeconds } from "@redial/simulator";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { medianRun } from "../src/dial-loop/baseline.ts";
import { benchOptionsSchema, benchProgram } from "../src/dial-loop/command.ts";
import { cpuBetween, cpuSample } from "../src/dial-loop/cpu.ts";
import { evaluateTargets, fmt } from "../src/dial-loop/report.ts";
import { percentile } from "../src/dial-loop/stats.ts";

describe("bench helpers", () => {
  it("percentile is the nearest rank: p50 of 1..10 is 5, p99 is 10", () => {
    const values = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(percentile(values, 0.5)).toBe(5);
    expect(percentile(values, 0.99)).toBe(10);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it("the process clock is moved back to the last noon in New York", () => {
    // 15:30 EST (UTC−5) on a winter day: noon was 3.5 hours ago.
    expect(noonOffsetSeconds(new Date("2025-01-15T20:30:00Z"))).toBe(-3.5 * 3600);
    // 09:00 EDT (UTC−4) on a summer day: the last noon was yesterday's, 21 hours ago.
    expect(noonOffsetSeconds(new Date("2025-07-15T13:00:00Z"))).toBe(-21 * 3600);
    expect(noonOffsetSeconds(new Date("2025-07-15T16:00:00Z"))).toBe(0);
  });

  it("targets: loop efficiency (cycles ≥ 0.6 × floor, or CPU ≤ 2 × floor), trickle p99 ≤ 1 s, ≤ 6 commits per cycle", () => {
    const lag = (p99: number) => ({ lag: { p50: 0, p99, max: p99 } });
    const run = (cyclesPerSecond: number, postgresMs: number) =>
      ({ cyclesPerSecond, commitsPerCycle: 6.01, cpuPerCycle: { nodeMs: 1, postgresMs } }) as never;
    const floor = { cyclesPerSecond: 1000, cpuPerCycle: { nodeMs: 1, postgresMs: 1 } } as never;
    expect(evaluateTargets({ trickle: lag(0.6) as never, cycles: run(600, 9), skeleton: floor })).toEqual({
      loopEfficiency: true,
      trickleLagP99: true,
      commitsPerCycle: false,
    });
    // 0.3 of the floor's cycles, but 4 ms of CPU against the floor's 2: within 2×.
    expect(
      evaluateTargets({ trickle: lag(1.2) as never, cycles: run(300, 3), skeleton: floor }).loopEfficiency,
    ).toBe(true);
    expect(
      evaluateTargets({ trickle: lag(1.2) as never, cycles: run(300, 3.5), skeleton: floor }).loopEfficiency,
    ).toBe(false);
  });

  it("options arrive as strings from the command line and keep the defaults of the issue", () => {
    const options = benchOptionsSchema.parse({ leads: "50", json: true });
    expect(options).toMatchObject({ leads: 50, jobs: 1000, due: 10_000, pollSeconds: 0.5, json: true });
    expect(() => benchOptionsSchema.parse({ pollSeconds: "0.1" })).toThrow(/0\.5/);
  });

  it("every option the schema checks is on the command line, with the same default", () => {
    const bench = benchProgram(() => undefined);
    const names = bench.options.map((option) => option.attributeName());
    expect(names.sort()).toEqual(Object.keys(benchOptionsSchema.shape).sort());
    const defaults = Object.fromEntries(
      bench.options
        .filter((option) => option.defaultValue !== undefined)
        .map((option) => [option.attributeName(), option.defaultValue]),
    );
    expect(benchOptionsSchema.parse(defaults)).toEqual(benchOptionsSchema.parse({}));
  });

  it("numbers print with thousands separators and n/a for a missing value", () => {
    expect(fmt(10_000, 0)).toBe("10,000");
    expect(fmt(Number.NaN, 2)).toBe("n/a");
  });
});

describe("bench CPU accounting", () => {
  it("counts this process's CPU and the CPU of a PostgreSQL backend that exited between the samples", async () => {
    const test = await createTestDatabase();
    try {
      const local = ["127.0.0.1", "localhost", "[::1]"].includes(new URL(test.url).hostname);
      const before = cpuSample();
      const until = performance.now() + 50;
      while (performance.now() < until); // 50 ms of Node CPU
      // A separate connection that works ~100 ms of server CPU, then closes: its backend exits.
      const db = createDb(test.url, { max: 1 });
      await sql`SELECT count(*) FROM generate_series(1, 3000000)`.execute(db);
      await db.destroy();
      const spent = cpuBetween(before, cpuSample());
      // Counted at all, not how much: tests never assert CPU time (the bench measures it).
      expect(spent.nodeMs).toBeGreaterThan(0);
      if (local) expect(spent.postgresMs).toBeGreaterThan(0);
    } finally {
      await test.drop();
    }
  });
});

describe("bench baseline", () => {
  it("of several runs, the median one stands for the baseline, and every run's rate is kept", () => {
    const run = (jobsPerSecond: number) =>
      ({ jobs: 1000, seconds: 1000 / jobsPerSecond, jobsPerSecond, commits: 0, commitsPerJob: 0 }) as never;
    const median = medianRun([run(870), run(540), run(700)]);
    expect(median.jobsPerSecond).toBe(700);
    expect(median.runsJobsPerSecond).toEqual([870, 540, 700]);
    expect(medianRun([run(2), run(1)]).jobsPerSecond).toBe(1);
  });
});
