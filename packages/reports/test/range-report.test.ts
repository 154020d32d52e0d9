import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../db/src/testing/test-database.ts";
import { type RangeRow, rangeReport } from "../src/index.ts";
import { D1, D2, D3, D4, seedCampaign, TZ } from "./campaign-fixture.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedCampaign(t.db);
});
afterAll(async () => t.drop());

const zeroOutcomes = {
  sale: 0,
  dnc: 0,
  transferred: 0,
  callback: 0,
  voicemail: 0,
  no_answer: 0,
  busy: 0,
  not_interested: 0,
  failed: 0,
  unknown: 0,
};

function expectRow(row: RangeRow | undefined, expected: Omit<RangeRow, "day" | "outcome_counts">): void {
  const { cost, cost_per_transfer, cost_per_sale, connectivity_rate, transfer_rate, ...counts } = expected;
  expect(row).toMatchObject(counts);
  expect(row?.cost).toBeCloseTo(cost, 10);
  for (const [key, value] of Object.entries({
    cost_per_transfer,
    cost_per_sale,
    connectivity_rate,
    transfer_rate,
  })) {
    const actual = row?.[key as keyof RangeRow];
    if (value === null) expect(actual, key).toBeNull();
    else expect(actual, key).toBeCloseTo(value, 10);
  }
}

describe("rangeReport over D1..D3", () => {
  it("lists every campaign day of the period in order, then the total", async () => {
    const r = await rangeReport(t.db, { from: D1, to: D3, timezone: TZ, today: D3 });
    expect(r.days.map((d) => d.day)).toEqual([D1, D2, D3]);
    expect(r.total.day).toBe("total");
  });

  it("D1: a redial of a lead first called the day before, a lead called twice, a sale", async () => {
    const r = await rangeReport(t.db, { from: D1, to: D3, timezone: TZ, today: D3 });
    expectRow(r.days[0], {
      leads_created: 4, // L1 L2 L7 and L3 created 23:30 Eastern
      calls_placed: 4,
      redials: 2, // L0 (first call on D0), L1's second
      unique_leads_called: 3,
      answered: 1,
      transferred: 1,
      sales: 1,
      connectivity_rate: 1 / 4,
      transfer_rate: 1,
      cost: 1.23,
      cost_per_transfer: 1.23,
      cost_per_sale: 1.23,
    });
    expect(r.days[0]?.outcome_counts).toEqual({ ...zeroOutcomes, no_answer: 2, voicemail: 1, sale: 1 });
  });

  it("D2: a not_placed dial is not a call; a backfilled call is", async () => {
    const r = await rangeReport(t.db, { from: D1, to: D3, timezone: TZ, today: D3 });
    expectRow(r.days[1], {
      leads_created: 3, // L4 L5 L10
      calls_placed: 5, // L1 L3 L4(backfill) L7 L10; L3's not_placed excluded
      redials: 1, // L1
      unique_leads_called: 5,
      answered: 3,
      transferred: 1,
      sales: 0,
      connectivity_rate: 3 / 5,
      transfer_rate: 1 / 3,
      cost: 0.93,
      cost_per_transfer: 0.93,
      cost_per_sale: null,
    });
    expect(r.days[1]?.outcome_counts).toEqual({
      ...zeroOutcomes,
      transferred: 1,
      dnc: 1,
      busy: 1,
      voicemail: 1,
      not_interested: 1,
    });
  });

  it("D3: a call still dialing is placed but has no outcome", async () => {
    const r = await rangeReport(t.db, { from: D1, to: D3, timezone: TZ, today: D3 });
    expectRow(r.days[2], {
      leads_created: 2, // L6, L8 (23:30 Eastern)
      calls_placed: 4,
      redials: 2, // L4 twice (first call on D2)
      unique_leads_called: 3,
      answered: 2,
      transferred: 1,
      sales: 0,
      connectivity_rate: 2 / 4,
      transfer_rate: 1 / 2,
      cost: 0.72,
      cost_per_transfer: 0.72,
      cost_per_sale: null,
    });
    expect(r.days[2]?.outcome_counts).toEqual({ ...zeroOutcomes, transferred: 1, callback: 1, no_answer: 1 });
  });

  it("total: sums per day, but unique leads are counted once over the period", async () => {
    const r = await rangeReport(t.db, { from: D1, to: D3, timezone: TZ, today: D3 });
    expectRow(r.total, {
      leads_created: 9,
      calls_placed: 13,
      redials: 5,
      unique_leads_called: 9,
      answered: 6,
      transferred: 3,
      sales: 1,
      connectivity_rate: 6 / 13,
      transfer_rate: 3 / 6,
      cost: 2.88,
      cost_per_transfer: 0.96,
      cost_per_sale: 2.88,
    });
    expect(r.total.outcome_counts).toEqual({
      ...zeroOutcomes,
      no_answer: 3,
      voicemail: 2,
      sale: 1,
      transferred: 2,
      dnc: 1,
      busy: 1,
      not_interested: 1,
      callback: 1,
    });
  });

  it("redials look at each lead's first call ever, not its first call in the period", async () => {
    const r = await rangeReport(t.db, { from: D2, to: D3, timezone: TZ, today: D3 });
    expect(r.days.map((d) => d.redials)).toEqual([1, 2]); // L1 first called D1, L4 first called D2
    expect(r.total).toMatchObject({ calls_placed: 9, redials: 3, unique_leads_called: 7 });
  });

  it("a day without calls has zero cost and null rates (no divisor)", async () => {
    const r = await rangeReport(t.db, { from: D4, to: D4, timezone: TZ, today: D4 });
    expectRow(r.total, {
      leads_created: 1, // L9
      calls_placed: 0,
      redials: 0,
      unique_leads_called: 0,
      answered: 0,
      transferred: 0,
      sales: 0,
      connectivity_rate: null,
      transfer_rate: null,
      cost: 0,
      cost_per_transfer: null,
      cost_per_sale: null,
    });
  });
});
