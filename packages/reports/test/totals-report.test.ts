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

describe("totalsReport (lifetime, L0–L10)", () => {
  it("counts every lead, and the active ones (active or daily_max_reached)", async () => {
    const r = await totalsReport(t.db, { timezone: TZ, today: D4 });
    expect(r.total_leads).toBe(11);
    expect(r.active_for_redialing).toBe(7); // L0 L1 L4 L5 L7 L8 L9
  });

  it("splits leads by creation day in the campaign timezone: today, yesterday, older", async () => {
    const r = await totalsReport(t.db, { timezone: TZ, today: D4 });
    expect(r.created_today).toBe(1); // L9, 00:30 Eastern on D4
    expect(r.created_yesterday).toBe(2); // L6, and L8 created 23:30 Eastern on D3 (04:30 UTC on D4)
    expect(r.created_older).toBe(8);
  });

  it("today and yesterday move with the day passed in", async () => {
    const r = await totalsReport(t.db, { timezone: TZ, today: D3 });
    expect([r.created_today, r.created_yesterday, r.created_older]).toEqual([2, 3, 5]);
  });

  it("daily max reached, completed (SALE, DNC) and paused by status", async () => {
    const r = await totalsReport(t.db, { timezone: TZ, today: D4 });
    expect(r.daily_max_reached).toBe(2); // L4 L7
    expect([r.completed, r.completed_sale, r.completed_dnc]).toEqual([2, 1, 1]);
    expect(r.paused).toBe(2); // L6 L10
  });
});
