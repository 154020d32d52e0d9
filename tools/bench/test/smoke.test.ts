import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { benchCommand } from "../src/dial-loop/command.ts";
import type { BenchReport } from "../src/dial-loop/report.ts";

/** `pnpm bench` at a tiny size, on the test server: every phase runs, and the scratch database goes. */
describe("pnpm bench (tiny run)", () => {
  it("measures every phase and its floors, prints them, and drops its scratch database", async () => {
    const serverUrl = inject("testServerUrl");
    const printed: string[] = [];
    const report: BenchReport = await benchCommand(
      {
        leads: "20",
        cycles: "60",
        jobs: "100",
        baselineRuns: "1",
        due: "50",
        trickleRate: "10",
        trickleSeconds: "1",
        json: true,
      },
      { databaseUrl: serverUrl, embeddedPort: 0 },
      (text) => printed.push(text),
      () => undefined,
    );

    expect(JSON.parse(printed.join("\n"))).toMatchObject({ command: report.command });
    expect(report.baseline.jobs).toBe(100);
    expect(report.baseline.jobsPerSecond).toBeGreaterThan(0);
    expect(report.skeleton.cycles).toBe(60);
    expect(report.skeleton.cyclesPerSecond).toBeGreaterThan(0);
    expect(report.skeletonRatio).toBeCloseTo(
      report.skeleton.cyclesPerSecond / report.baseline.jobsPerSecond,
      6,
    );
    expect(report.cycles.cyclesPerSecond).toBeGreaterThan(0);
    expect(report.cycles.dialResults.placed).toBeGreaterThanOrEqual(60);
    expect(report.cycles.dialResults.error).toBeUndefined();
    // Each cycle is a handful of transactions (dial, placed, webhook event, result, the job's fetch/complete).
    expect(report.cycles.commitsPerCycle).toBeGreaterThan(1);
    expect(report.cycles.commitsPerCycle).toBeLessThan(20);
    // The comparison run: the same cycles, every write in the locked transaction, its own leads.
    expect(report.lockedCycles.dialResults.placed).toBeGreaterThanOrEqual(60);
    expect(report.lockedCycles.dialResults.error).toBeUndefined();
    expect(report.lockedCycles.endedAttempts).toBeGreaterThanOrEqual(60 + 20);
    expect(report.queueBurst.jobs).toBe(50);
    expect(report.queueBurst.lag.p99).toBeGreaterThanOrEqual(report.queueBurst.lag.p50);
    expect(report.burst.leads).toBe(50);
    expect(Number.isFinite(report.burst.lag.p99)).toBe(true);
    expect(report.trickle.leads).toBe(10);
    expect(report.command).toContain("--trickle-rate 10 --trickle-seconds 1");
    expect(report.notes.some((note) => note.startsWith("Floors, measured in this run"))).toBe(true);

    const check = new pg.Client({ connectionString: serverUrl });
    await check.connect();
    try {
      const { rows } = await check.query("SELECT 1 FROM pg_database WHERE datname = $1", [
        report.environment.scratchDatabase,
      ]);
      expect(rows).toHaveLength(0);
    } finally {
      await check.end();
    }
  }, 180_000);
});
