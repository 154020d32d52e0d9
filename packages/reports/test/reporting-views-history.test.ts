import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../db/src/testing/test-database.ts";
import { breakdownReport, type RangeRow, rangeReport } from "../src/index.ts";
import { randomHistory } from "./random-history.ts";

/**
 * The reporting.* views over a random history (the one report-rollups.test.ts checks the reports
 * against): reporting.days and reporting.calls summed per day equal the range report, and
 * reporting.leads by standing equals the breakdown, with the rollups' deltas pending. The views
 * read the campaign calendar's timezone: the default, America/New_York.
 */
const TZ = "America/New_York";
const PERIOD = { from: "2026-01-04", to: "2026-01-09", timezone: TZ, today: "2026-01-07" };

let t: TestDatabase;
let range: RangeRow[];
beforeAll(async () => {
  t = await createTestDatabase();
  await randomHistory(t, 20260105);
  range = (await rangeReport(t.db, PERIOD)).days;
});
afterAll(async () => t.drop());

const COUNTS = [
  "calls_placed",
  "calls_ended",
  "calls_in_progress",
  "first_calls",
  "redials",
  "unique_leads_called",
  "answered",
  "reached",
  "transfers",
  "transferred",
  "sale_calls",
] as const;

describe("the reporting views agree with the reports over a random history", () => {
  it("reporting.days: every number of the range report's days", async () => {
    const { rows } = await sql<Record<string, number | null> & { day: string }>`
      SELECT day::text AS day, leads_created, calls_placed, calls_ended, calls_in_progress, first_calls, redials,
             unique_leads_called, answered, reached, transfers, transferred, sale_calls, sold_leads, dnc_leads,
             cost, connectivity_rate, transfer_rate, cost_per_transfer, cost_per_sale
      FROM reporting.days WHERE day BETWEEN ${PERIOD.from} AND ${PERIOD.to} ORDER BY day`.execute(t.db);
    expect(rows.map((r) => r.day)).toEqual(range.map((d) => d.day));
    for (const [i, row] of rows.entries()) {
      const day = range[i] as RangeRow;
      const counts = [...COUNTS, "leads_created", "sold_leads", "dnc_leads"] as const;
      expect(row, day.day).toMatchObject(Object.fromEntries(counts.map((k) => [k, day[k]])));
      for (const key of [
        "cost",
        "connectivity_rate",
        "transfer_rate",
        "cost_per_transfer",
        "cost_per_sale",
      ] as const) {
        if (day[key] === null) expect(row[key], `${day.day} ${key}`).toBeNull();
        else expect(row[key], `${day.day} ${key}`).toBeCloseTo(day[key] as number, 8);
      }
    }
  });

  it("reporting.calls summed per campaign day: calls, redials, reached, transfers, outcomes, cost", async () => {
    const { rows } = await sql<Record<string, number> & { day: string }>`
      SELECT campaign_day::text AS day, count(*) AS calls_placed, count(*) FILTER (WHERE ended) AS calls_ended,
             count(*) FILTER (WHERE in_progress) AS calls_in_progress, count(*) FILTER (WHERE NOT redial) AS first_calls,
             count(*) FILTER (WHERE redial) AS redials, count(DISTINCT lead_id) AS unique_leads_called,
             count(*) FILTER (WHERE answered) AS answered, count(*) FILTER (WHERE reached) AS reached,
             count(*) FILTER (WHERE transfer) AS transfers, count(*) FILTER (WHERE outcome = 'TRANSFERRED') AS transferred,
             count(*) FILTER (WHERE outcome = 'SALE') AS sale_calls, sum(cost) AS cost
      FROM reporting.calls WHERE campaign_day BETWEEN ${PERIOD.from} AND ${PERIOD.to}
      GROUP BY campaign_day ORDER BY campaign_day`.execute(t.db);
    const called = range.filter((d) => d.calls_placed > 0);
    expect(rows.map((r) => r.day)).toEqual(called.map((d) => d.day));
    for (const [i, row] of rows.entries()) {
      const day = called[i] as RangeRow;
      expect(row, day.day).toMatchObject(Object.fromEntries(COUNTS.map((k) => [k, day[k]])));
      expect(row.cost).toBeCloseTo(day.cost, 8);
    }
  });

  it.each([
    { from: "2026-01-04", to: "2026-01-09" },
    { from: "2026-01-05", to: "2026-01-06" },
  ])("reporting.leads created $from..$to by standing: the breakdown", async ({ from, to }) => {
    const { rows } = await sql<Record<string, number>>`
      SELECT count(*) AS leads_in_period,
             count(*) FILTER (WHERE standing = 'completed_sale') AS completed_sale,
             count(*) FILTER (WHERE standing = 'completed_dnc') AS completed_dnc,
             count(*) FILTER (WHERE standing = 'still_redialing') AS still_redialing,
             count(*) FILTER (WHERE standing = 'paused') AS paused,
             count(*) FILTER (WHERE ever_transferred) AS ever_transferred,
             count(*) FILTER (WHERE ever_transferred AND standing = 'still_redialing') AS transferred_still_redialing,
             count(*) FILTER (WHERE ever_transferred AND standing = 'paused') AS transferred_paused,
             count(*) FILTER (WHERE on_dnc_list) AS on_dnc_list
      FROM reporting.leads WHERE created_day BETWEEN ${from} AND ${to}`.execute(t.db);
    const breakdown = await breakdownReport(t.db, { ...PERIOD, from, to });
    const row = rows[0] ?? {};
    expect(row).toEqual(
      Object.fromEntries(Object.keys(row).map((k) => [k, breakdown[k as keyof typeof breakdown]])),
    );
  });

  it("reporting.leads sold per completed day: the range report's sold_leads", async () => {
    const { rows } = await sql<{ day: string; sold_leads: number }>`
      SELECT completed_day::text AS day, count(*) AS sold_leads FROM reporting.leads
      WHERE standing = 'completed_sale' AND completed_day BETWEEN ${PERIOD.from} AND ${PERIOD.to}
      GROUP BY 1 ORDER BY 1`.execute(t.db);
    expect(rows).toEqual(
      range.filter((d) => d.sold_leads > 0).map((d) => ({ day: d.day, sold_leads: d.sold_leads })),
    );
  });
});
