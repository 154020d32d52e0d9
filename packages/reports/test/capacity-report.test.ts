import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../db/src/testing/test-database.ts";
import { type CapacityInput, capacityOf, capacityReport, ReportArgumentError } from "../src/index.ts";
import { seedCampaign } from "./campaign-fixture.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedCampaign(t.db);
});
afterAll(async () => t.drop());

// 11:00–20:00 = 540 minutes = 32,400 seconds of calling.
const input: CapacityInput = {
  callingMinutesPerDay: 540,
  maxPerDay: 8,
  dialLimits: { ratePerSecond: 1, maxConcurrent: 1, maxPerHour: 100, maxPerDay: null, avgCallSeconds: 600 },
};

describe("capacityReport", () => {
  it("7 leads still redialing × 8 = 56 calls against 1 line × 32,400 s ÷ 600 s = 54: over capacity, concurrency binds", async () => {
    const r = await capacityReport(t.db, input);
    expect(r).toMatchObject({
      still_redialing: 7,
      max_per_day: 8,
      expected_daily_calls: 56,
      calling_minutes_per_day: 540,
      limits: { rate: 32_400, concurrency: 54, hourly_cap: 900, daily_cap: null },
      daily_capacity: 54,
      binding_limit: "concurrency",
      shortfall: 2,
      leads_fully_served: 6,
      verdict: "over_capacity",
    });
    expect(r.utilization).toBeCloseTo(56 / 54, 10);
  });

  it("a daily cap of 60 binds when it is the smallest limit, and 56 fits: ok", async () => {
    const r = await capacityReport(t.db, {
      ...input,
      dialLimits: { ...input.dialLimits, maxConcurrent: 10, maxPerDay: 60 },
    });
    expect(r).toMatchObject({ daily_capacity: 60, binding_limit: "daily_cap", shortfall: 0, verdict: "ok" });
    expect(r.leads_fully_served).toBe(7);
  });
});

describe("capacityOf (the arithmetic)", () => {
  it("the dial rate binds: 0.01/s × 32,400 s = 324", () => {
    const r = capacityOf(10, {
      ...input,
      dialLimits: { ...input.dialLimits, ratePerSecond: 0.01, maxConcurrent: 100 },
    });
    expect([r.binding_limit, r.daily_capacity, r.verdict]).toEqual(["rate", 324, "ok"]);
  });

  it("the hourly cap binds: 30/h over 9 h = 270 calls, and 10 × 8 = 80 fit", () => {
    const r = capacityOf(10, {
      ...input,
      dialLimits: { ...input.dialLimits, maxConcurrent: 100, maxPerHour: 30 },
    });
    expect([r.binding_limit, r.daily_capacity, r.expected_daily_calls, r.verdict]).toEqual([
      "hourly_cap",
      270,
      80,
      "ok",
    ]);
  });

  it("no hourly or daily cap: those limits are null and never bind", () => {
    const r = capacityOf(0, { ...input, dialLimits: { ...input.dialLimits, maxPerHour: null } });
    expect(r.limits).toEqual({ rate: 32_400, concurrency: 54, hourly_cap: null, daily_cap: null });
    expect(r.verdict).toBe("ok");
  });

  it("a zero window gives zero capacity: utilization is null, any active lead is over capacity", () => {
    const r = capacityOf(1, { ...input, callingMinutesPerDay: 0 });
    expect([r.daily_capacity, r.utilization, r.verdict]).toEqual([0, null, "over_capacity"]);
  });

  it("refuses an average call length of 0", async () => {
    await expect(
      capacityReport(t.db, { ...input, dialLimits: { ...input.dialLimits, avgCallSeconds: 0 } }),
    ).rejects.toThrow(ReportArgumentError);
  });
});
