import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../db/src/testing/test-database.ts";
import { breakdownReport, rangeReport, statisticsForDay, totalsReport } from "../src/index.ts";
import { D0, D1, D2, D3, D4, seedCampaign, TZ } from "./campaign-fixture.ts";
import {
  expectBreakdownAddsUp,
  expectRangeAddsUp,
  expectStatisticsAddUp,
  expectTotalsAddUp,
} from "./report-partitions.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedCampaign(t.db);
});
afterAll(async () => t.drop());

const DAYS = [D0, D1, D2, D3, D4];
const PERIODS = DAYS.flatMap((from) => DAYS.filter((to) => to >= from).map((to) => ({ from, to })));

describe("the counts the glossary says add up do, on the campaign fixture", () => {
  it.each(PERIODS)(
    "breakdown $from..$to: SALE + DNC + still redialing + paused = leads, and the rest",
    async (p) => {
      for (const today of [D2, D3])
        expectBreakdownAddsUp(await breakdownReport(t.db, { ...p, timezone: TZ, today }));
    },
  );

  it.each(DAYS)("totals, today %s", async (today) => {
    expectTotalsAddUp(await totalsReport(t.db, { timezone: TZ, today }));
  });

  it.each(PERIODS)(
    "range $from..$to: calls = ended + in progress = first calls + redials; rates ≤ 100%",
    async (p) => {
      expectRangeAddsUp(await rangeReport(t.db, { ...p, timezone: TZ, today: D3 }));
    },
  );

  it.each(DAYS)("statistics of %s", async (day) => {
    expectStatisticsAddUp(await statisticsForDay(t.db, { day, timezone: TZ }));
  });
});

describe("statistics/today reads the glossary's numbers", () => {
  it("today's connectivity leaves the call still dialing out of its divisor", async () => {
    const s = await statisticsForDay(t.db, { day: D3, timezone: TZ });
    expect(s).toMatchObject({
      date: D3,
      timezone: TZ,
      total_calls: 4,
      calls_placed: 4,
      calls_ended: 3,
      calls_in_progress: 1, // L8
      reached: 2,
      connectivity_rate: 2 / 3,
    });
  });

  it("still redialing = active or daily_max_reached (one definition); a stale daily-max flag is not today's", async () => {
    const s = await statisticsForDay(t.db, { day: D3, timezone: TZ });
    expect(s.still_redialing).toBe(7); // L0 L1 L4 L5 L7 L8 L9, as totals and capacity
    expect(s.daily_max_reached_today).toBe(1); // L4; L7's flag is from D2
    expect(s.paused).toBe(2);
  });

  it("a lead sold by hand counts as a sale of the day it was sold; cost per sale is per sold lead", async () => {
    const s = await statisticsForDay(t.db, { day: D2, timezone: TZ });
    expect(s).toMatchObject({ sale_calls: 0, sold_leads: 1, dnc_leads: 1 });
    expect(s.cost_per_sale).toBeCloseTo(0.93, 10);
  });

  it("equals the range report's row of the same day, field for field", async () => {
    const range = await rangeReport(t.db, { from: D1, to: D1, timezone: TZ, today: D1 });
    const { day: _day, ...row } = range.days[0] ?? {};
    expect(await statisticsForDay(t.db, { day: D1, timezone: TZ })).toMatchObject(row);
  });
});
