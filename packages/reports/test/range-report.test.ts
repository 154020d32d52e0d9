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

  it("D1: a redial of a lead first called the day before, a sale on a call, a transfer nobody answered", async () => {
    const r = await rangeReport(t.db, { from: D1, to: D3, timezone: TZ, today: D3 });
    expectRow(r.days[0], {
      leads_created: 5, // L1 L2 L7 L11 and L3 created 23:30 Eastern
      calls_placed: 5,
      calls_ended: 5,
      calls_in_progress: 0,
      first_calls: 3, // L1 L2 L11
      redials: 2, // L0 (first call on D0), L1's second
      unique_leads_called: 4,
      answered: 1, // L2
      reached: 2, // L2, and L11's transfer at 12 s (not answered)
      transfers: 2, // L2's SALE call was transferred; L11's TRANSFERRED
      transferred: 1, // L11: outcome TRANSFERRED
      sale_calls: 1, // L2
      sold_leads: 1, // L2
      dnc_leads: 0,
      connectivity_rate: 2 / 5,
      transfer_rate: 2 / 2, // transferred ÷ answered would have said 200%
      cost: 1.83,
      cost_per_transfer: 1.83 / 2,
      cost_per_sale: 1.83,
    });
    expect(r.days[0]?.outcome_counts).toEqual({
      ...zeroOutcomes,
      no_answer: 2,
      voicemail: 1,
      sale: 1,
      transferred: 1,
    });
  });

  it("D2: a not_placed dial is not a call; a backfilled call is; a lead sold by hand after an earlier transfer is a sale of D2", async () => {
    const r = await rangeReport(t.db, { from: D1, to: D3, timezone: TZ, today: D3 });
    expectRow(r.days[1], {
      leads_created: 3, // L4 L5 L10
      calls_placed: 5, // L1 L3 L4(backfill) L7 L10; L3's not_placed excluded
      calls_ended: 5,
      calls_in_progress: 0,
      first_calls: 4, // L3 L4 L7 L10
      redials: 1, // L1
      unique_leads_called: 5,
      answered: 3,
      reached: 3,
      transfers: 1,
      transferred: 1,
      sale_calls: 0,
      sold_leads: 1, // L11, sold by hand on D2 after its D1 transfer
      dnc_leads: 1, // L3
      connectivity_rate: 3 / 5,
      transfer_rate: 1 / 3,
      cost: 0.93,
      cost_per_transfer: 0.93,
      cost_per_sale: 0.93, // per sold lead, though no call of D2 was a SALE
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

  it("D3: a call still dialing is placed, has no outcome, and is in no rate's divisor", async () => {
    const r = await rangeReport(t.db, { from: D1, to: D3, timezone: TZ, today: D3 });
    expectRow(r.days[2], {
      leads_created: 2, // L6, L8 (23:30 Eastern)
      calls_placed: 4,
      calls_ended: 3,
      calls_in_progress: 1, // L8
      first_calls: 2, // L6 L8
      redials: 2, // L4 twice (first call on D2)
      unique_leads_called: 3,
      answered: 2,
      reached: 2,
      transfers: 1,
      transferred: 1,
      sale_calls: 0,
      sold_leads: 0,
      dnc_leads: 0,
      connectivity_rate: 2 / 3,
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
      leads_created: 10,
      calls_placed: 14,
      calls_ended: 13,
      calls_in_progress: 1,
      first_calls: 9,
      redials: 5,
      unique_leads_called: 10,
      answered: 6,
      reached: 7,
      transfers: 4,
      transferred: 3,
      sale_calls: 1,
      sold_leads: 2,
      dnc_leads: 1,
      connectivity_rate: 7 / 13,
      transfer_rate: 4 / 7,
      cost: 3.48,
      cost_per_transfer: 0.87,
      cost_per_sale: 1.74, // per sold lead (2), not per SALE call (1)
    });
    expect(r.total.outcome_counts).toEqual({
      ...zeroOutcomes,
      no_answer: 3,
      voicemail: 2,
      sale: 1,
      transferred: 3,
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
      calls_ended: 0,
      calls_in_progress: 0,
      first_calls: 0,
      redials: 0,
      unique_leads_called: 0,
      answered: 0,
      reached: 0,
      transfers: 0,
      transferred: 0,
      sale_calls: 0,
      sold_leads: 0,
      dnc_leads: 0,
      connectivity_rate: null,
      transfer_rate: null,
      cost: 0,
      cost_per_transfer: null,
      cost_per_sale: null,
    });
  });
});
