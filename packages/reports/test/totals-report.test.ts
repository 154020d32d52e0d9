import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../db/src/testing/test-database.ts";
import { totalsReport } from "../src/index.ts";
import { D3, D4, seedCampaign, TZ } from "./campaign-fixture.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedCampaign(t.db);
});
afterAll(async () => t.drop());

describe("totalsReport (lifetime, L0–L11)", () => {
  it("every lead, by where it stands: SALE, DNC, still redialing, paused", async () => {
    const r = await totalsReport(t.db, { timezone: TZ, today: D4 });
    expect(r.total_leads).toBe(12);
    expect(r).toMatchObject({
      completed_sale: 2, // L2 L11
      completed_dnc: 1, // L3
      still_redialing: 7, // L0 L1 L4 L5 L7 L8 L9
      paused: 2, // L6 L10
      completed: 3,
    });
  });

  it("splits leads by creation day in the campaign timezone: today, yesterday, older", async () => {
    const r = await totalsReport(t.db, { timezone: TZ, today: D4 });
    expect(r.created_today).toBe(1); // L9, 00:30 Eastern on D4
    expect(r.created_yesterday).toBe(2); // L6, and L8 created 23:30 Eastern on D3 (04:30 UTC on D4)
    expect(r.created_older).toBe(9);
  });

  it("today and yesterday move with the day passed in; a lead created after today's start is today's", async () => {
    const r = await totalsReport(t.db, { timezone: TZ, today: D3 });
    expect([r.created_today, r.created_yesterday, r.created_older]).toEqual([3, 3, 6]); // today: L6 L8 L9
  });

  it("daily max reached today: flagged and called today; a flag left from an earlier day is not", async () => {
    expect((await totalsReport(t.db, { timezone: TZ, today: D3 })).daily_max_reached_today).toBe(1); // L4, not L7
    expect((await totalsReport(t.db, { timezone: TZ, today: D4 })).daily_max_reached_today).toBe(0);
  });

  it("transferred and still redialing; on the DNC list whatever they stand", async () => {
    const r = await totalsReport(t.db, { timezone: TZ, today: D4 });
    expect(r.transferred_still_redialing).toBe(2); // L1 L4
    expect(r.on_dnc_list).toBe(2); // L2 (sold), L10 (paused)
  });
});
