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

describe("breakdownReport over D1..D3 (leads L1–L8, L10, L11; L0 before, L9 after)", () => {
  it("counts the leads created in the period by campaign day, including one created 23:30 Eastern", async () => {
    const r = await breakdownReport(t.db, period);
    expect(r.leads_in_period).toBe(10);
  });

  it("a lead created 23:30 Eastern on the last day is in; one created 00:30 Eastern the next day is not", async () => {
    const r = await breakdownReport(t.db, { ...period, from: D3 });
    expect(r.leads_in_period).toBe(2); // L6, L8
  });

  it("where the leads stand: SALE, DNC, still redialing, paused — each lead in exactly one", async () => {
    const r = await breakdownReport(t.db, period);
    expect(r.completed_sale).toBe(2); // L2 (its phone later on the DNC list), L11 (sold by hand)
    expect(r.completed_dnc).toBe(1); // L3
    expect(r.still_redialing).toBe(5); // L1 L4 L5 L7 L8 (active or daily_max_reached, stale flag or not)
    expect(r.paused).toBe(2); // L6, L10 (on the DNC list, still paused)
    expect(r.completed_sale + r.completed_dnc + r.still_redialing + r.paused).toBe(r.leads_in_period);
  });

  it("a sold lead whose phone is later put on the DNC list stays a SALE; on_dnc_list counts it apart", async () => {
    const r = await breakdownReport(t.db, period);
    expect(r.on_dnc_list).toBe(2); // L2 (completed SALE), L10 (paused)
    expect(r.completed_dnc).toBe(1);
  });

  it("non-sale non-DNC = still redialing + paused; non-sale and non-DNC are the period minus each", async () => {
    const r = await breakdownReport(t.db, period);
    expect([r.non_sale_non_dnc, r.total_non_sale, r.total_non_dnc]).toEqual([7, 8, 9]);
  });

  it("transferred and still redialing = still redialing with a transferred call, whatever the last outcome", async () => {
    const r = await breakdownReport(t.db, period);
    expect(r.transferred_still_redialing).toBe(2); // L1 (last TRANSFERRED), L4 (transferred, then CALLBACK)
  });

  it("ever transferred splits by where those leads stand", async () => {
    const r = await breakdownReport(t.db, period);
    expect(r).toMatchObject({
      ever_transferred: 4, // L1 L2 L4 L11
      transferred_completed_sale: 2, // L2 on the call, L11 by hand the next day
      transferred_completed_dnc: 0,
      transferred_still_redialing: 2,
      transferred_paused: 0,
    });
  });

  it("the leads still redialing by last outcome, never-called included, add up to still redialing", async () => {
    const r = await breakdownReport(t.db, period);
    expect(r.still_redialing_by_last_outcome).toEqual({
      sale: 0,
      dnc: 0,
      transferred: 1, // L1
      callback: 1, // L4
      voicemail: 1, // L7
      no_answer: 0,
      busy: 0,
      not_interested: 0,
      failed: 0,
      unknown: 0,
      never_called: 2, // L5 (no call), L8 (still dialing)
      other: 0,
    });
  });

  it("daily max reached today counts only leads flagged AND called today (a stale flag is not)", async () => {
    expect((await breakdownReport(t.db, period)).daily_max_reached_today).toBe(1); // L4, not L7
    expect((await breakdownReport(t.db, { ...period, today: D2 })).daily_max_reached_today).toBe(2);
  });

  it("an unrecognised last outcome is counted as other, so the counts add up to still redialing", async () => {
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
    expect(r.still_redialing_by_last_outcome.other).toBe(1);
    expect(r.still_redialing).toBe(1);
  });

  it("refuses a reversed period and an unknown timezone, saying what to pass", async () => {
    await expect(breakdownReport(t.db, { ...period, from: D3, to: D1 })).rejects.toThrow(ReportArgumentError);
    await expect(breakdownReport(t.db, { ...period, timezone: "Eastern" })).rejects.toThrow(/IANA/);
    await expect(breakdownReport(t.db, { ...period, from: "2026-02-30" })).rejects.toThrow(/YYYY-MM-DD/);
  });
});
