import { describe, expect, inject, it } from "vitest";
import { dailyResetLines, runDailyResetBench } from "../src/daily-reset/daily-reset-bench.ts";
import { heldLeadsLines, runHeldLeadsBench } from "../src/held-leads/held-leads-bench.ts";
import { StatementStats } from "../src/held-leads/statement-stats.ts";

/** The held-leads and daily-reset benches at a tiny size: every phase runs and prints its target. */
describe("held-leads.ts (tiny run)", () => {
  it("measures the loop's statements per dial and per result at each size and prints the ratio against 1.2×", async (context) => {
    // pg_stat_statements must be preloaded (the embedded test server does not load it).
    if (!(await StatementStats.available(inject("testServerUrl")))) context.skip();
    const measurements = await runHeldLeadsBench(
      {
        serverUrl: inject("testServerUrl"),
        sizes: [20, 200],
        leads: 3,
        rounds: 1,
        attemptsPerLead: 2,
        dailyMaxShare: 0.2,
      },
      () => undefined,
    );
    expect(measurements.map((m) => m.held)).toEqual([20, 200]);
    for (const m of measurements) {
      // A dial: the reading, the dial's writer, the placed mark; a result: the event, the writer.
      expect(m.dial.statements).toBeGreaterThanOrEqual(3);
      expect(m.result.statements).toBeGreaterThanOrEqual(2);
      expect(m.dial.blocks).toBeGreaterThan(0);
    }
    const lines = heldLeadsLines(measurements, "node … held-leads.ts");
    expect(lines.filter((line) => /target ≤ 1\.2× (ok|MISSED)/.test(line))).toHaveLength(6);
    expect(lines.at(-1)).toBe("command: node … held-leads.ts");
  }, 180_000);
});

describe("daily-reset.ts (tiny run)", () => {
  it("resets every lead at its daily maximum beside the loop, as it was and in batches, and prints the targets", async () => {
    const report = await runDailyResetBench(
      {
        serverUrl: inject("testServerUrl"),
        held: 300,
        dailyMaxShare: 0.9,
        loopLeads: 2,
        beforeSeconds: 0.2,
        compare: true,
      },
      () => undefined,
    );
    for (const run of [report.single, report.batched]) {
      expect(run?.reset).toBe(run?.atDailyMax);
      expect(run?.atDailyMax).toBeGreaterThan(200);
      expect(run?.leftAtDailyMax).toBe(0);
    }
    expect(report.healed).toBe(0);
    const lines = dailyResetLines(report, "node … daily-reset.ts");
    expect(lines.some((line) => /target < 60 s (ok|MISSED)/.test(line))).toBe(true);
    expect(lines.at(-1)).toBe("command: node … daily-reset.ts");
  }, 180_000);
});
