import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../db/src/testing/test-database.ts";
import {
  breakdownReport,
  capacityReport,
  formatReport,
  type Report,
  rangeReport,
  totalsReport,
} from "../src/index.ts";
import { D1, D3, seedCampaign, TZ } from "./campaign-fixture.ts";

let t: TestDatabase;
let reports: Report[];
beforeAll(async () => {
  t = await createTestDatabase();
  await seedCampaign(t.db);
  const period = { from: D1, to: D3, timezone: TZ, today: D3 };
  reports = await Promise.all([
    breakdownReport(t.db, period),
    rangeReport(t.db, period),
    totalsReport(t.db, { timezone: TZ, today: D3 }),
    capacityReport(t.db, {
      callingMinutesPerDay: 540,
      maxPerDay: 8,
      dialLimits: {
        ratePerSecond: 1,
        maxConcurrent: 1,
        maxPerHour: null,
        maxPerDay: null,
        avgCallSeconds: 600,
      },
    }),
  ]);
});
afterAll(async () => t.drop());

function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, v]) => [key, ...keysOf(v)]);
}

describe("formatReport", () => {
  it("JSON: the report as is, every field name snake_case, every number a number", () => {
    for (const report of reports) {
      const parsed = JSON.parse(formatReport(report, "json"));
      expect(parsed).toEqual(report);
      for (const key of keysOf(parsed)) expect(key).toMatch(/^[a-z][a-z0-9_]*$/);
    }
    const breakdown = JSON.parse(formatReport(reports[0] as Report, "json"));
    expect(typeof breakdown.leads_in_period).toBe("number");
  });

  it("table: the seed's labels, values aligned in one column", () => {
    const table = formatReport(reports[0] as Report, "table");
    expect(table).toContain("Total leads in period");
    expect(table).toContain("TRANSFERRED (not sale yet)");
    expect(table).toMatch(/Still for redialing \(non-sale, non-DNC\)\s+7\n/);
    const valueLines = table.split("\n").filter((line) => /\d$/.test(line));
    expect(new Set(valueLines.map((line) => line.length)).size).toBe(1);
  });

  it("table for range, totals and capacity", () => {
    const [, range, totals, capacity] = reports.map((r) => formatReport(r, "table"));
    expect(range).toMatch(
      /total\s+10\s+14\s+1\s+5\s+10\s+6\s+7\s+4\s+2\s+1\s+1\s+53\.8%\s+57\.1%\s+\$3\.48\s+\$0\.87\s+\$1\.74/,
    );
    expect(totals).toMatch(/Leads from yesterday\s+3\n/);
    expect(capacity).toMatch(/Verdict\s+OVER CAPACITY/);
  });

  it("CSV: a header of snake_case columns; one row per day plus total for range; nulls empty", () => {
    const lines = formatReport(reports[1] as Report, "csv")
      .trim()
      .split("\n");
    const header = lines[0]?.split(",") ?? [];
    expect(header.slice(0, 5)).toEqual(["from", "to", "timezone", "day", "leads_created"]);
    expect(header).toContain("outcome_counts_no_answer");
    expect(lines).toHaveLength(5);
    const total = Object.fromEntries(header.map((h, i) => [h, lines[4]?.split(",")[i]]));
    expect(total).toMatchObject({
      day: "total",
      calls_placed: "14",
      redials: "5",
      cost: "3.48",
      outcome_counts_no_answer: "3",
    });
    const d3 = Object.fromEntries(header.map((h, i) => [h, lines[3]?.split(",")[i]]));
    expect(d3.cost_per_sale).toBe("");
  });

  it("CSV for breakdown: one row, nested counts as prefixed columns", () => {
    const [header, row] = formatReport(reports[0] as Report, "csv")
      .trim()
      .split("\n");
    const record = Object.fromEntries(
      (header ?? "").split(",").map((h, i) => [h, (row ?? "").split(",")[i]]),
    );
    expect(record).toMatchObject({
      report: "breakdown",
      leads_in_period: "10",
      still_redialing_by_last_outcome_never_called: "2",
    });
  });
});
