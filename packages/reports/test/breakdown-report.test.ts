import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../db/src/testing/test-database.ts";
import { breakdownReport, ReportArgumentError } from "../src/index.ts";
import { D1, D2, D3, seedCampaign, TZ } from "./campaign-fixture.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedCampaign(t.db);
});
afterAll(async () => t.drop());

const period = { from: D1, to: D3, timezone: TZ, today: D3 };

describe("breakdownReport over D1..D3 (leads L1–L8 and L10; L0 before, L9 after)", () => {
  it("counts the leads created in the period by campaign day, including one created 23:30 Eastern", async () => {
    const r = await breakdownReport(t.db, period);
    expect(r.leads_in_period).toBe(9);
  });

  it("a lead created 23:30 Eastern on the last day is in; one created 00:30 Eastern the next day is not", async () => {
    const r = await breakdownReport(t.db, { ...period, from: D3 });
    expect(r.leads_in_period).toBe(2); // L6, L8
  });

  it("active for redialing = status active or daily_max_reached", async () => {
    expect((await breakdownReport(t.db, period)).active_for_redialing).toBe(5); // L1 L4 L5 L7 L8
  });

  it("transferred not sold = last outcome TRANSFERRED and not completed", async () => {
    expect((await breakdownReport(t.db, period)).transferred_not_sold).toBe(1); // L1
  });

  it("ever transferred not sold = had a transferred call and final outcome is not SALE", async () => {
    expect((await breakdownReport(t.db, period)).ever_transferred_not_sold).toBe(2); // L1, L4 (L2 sold)
  });

  it("completed with SALE and with DNC", async () => {
    const r = await breakdownReport(t.db, period);
    expect([r.completed_sale, r.completed_dnc]).toEqual([1, 1]); // L2, L3
  });

  it("last outcome counts cover every not-completed lead, never-called included", async () => {
    const r = await breakdownReport(t.db, period);
    expect(r.last_outcome_counts).toEqual({
      sale: 0,
      dnc: 0,
      transferred: 1,
      callback: 1,
      voicemail: 1,
      no_answer: 1,
      busy: 0,
      not_interested: 1,
      failed: 0,
      unknown: 0,
      never_called: 2, // L5 (no call), L8 (still dialing)
      other: 0,
    });
  });

  it("should continue = not completed; non-sale and non-DNC are the period minus each", async () => {
    const r = await breakdownReport(t.db, period);
    expect([r.should_continue, r.total_non_sale, r.total_non_dnc]).toEqual([7, 8, 8]);
  });

  it("DNC count = completed DNC or phone on our DNC list", async () => {
    expect((await breakdownReport(t.db, period)).dnc_count).toBe(2); // L3, L10
  });

  it("daily max reached today counts only leads flagged AND called today (a stale flag is not)", async () => {
    expect((await breakdownReport(t.db, period)).daily_max_reached_today).toBe(1); // L4, not L7
    expect((await breakdownReport(t.db, { ...period, today: D2 })).daily_max_reached_today).toBe(2);
  });

  it("paused", async () => {
    expect((await breakdownReport(t.db, period)).paused).toBe(2); // L6, L10
  });

  it("an unrecognised last outcome is counted as other, so the counts add up to should continue", async () => {
    await t.db
      .insertInto("leads")
      .values({
        phone: "+13055559999",
        status: "active",
        last_outcome: "LEGACY_X",
        created_at: "2026-02-01T15:00:00Z",
      })
      .execute();
    const r = await breakdownReport(t.db, { from: "2026-02-01", to: "2026-02-01", timezone: TZ, today: D3 });
    expect(r.last_outcome_counts.other).toBe(1);
    expect(r.should_continue).toBe(1);
  });

  it("refuses a reversed period and an unknown timezone, saying what to pass", async () => {
    await expect(breakdownReport(t.db, { ...period, from: D3, to: D1 })).rejects.toThrow(ReportArgumentError);
    await expect(breakdownReport(t.db, { ...period, timezone: "Eastern" })).rejects.toThrow(/IANA/);
    await expect(breakdownReport(t.db, { ...period, from: "2026-02-30" })).rejects.toThrow(/YYYY-MM-DD/);
  });
});
