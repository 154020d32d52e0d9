import { DEFAULT_SCHEDULER_CONFIG } from "@redial/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../db/src/testing/test-database.ts";
import { capacityInput, reportPeriod } from "../src/index.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t.drop());

const calendar = { get: async () => DEFAULT_SCHEDULER_CONFIG };

describe("report inputs read at the edges (calendar and clock passed in)", () => {
  it("a period defaults to the 30 campaign days up to today, today being the campaign day of now", async () => {
    // 03:00 UTC on March 10 is 23:00 Eastern on March 9.
    const now = () => new Date("2026-03-10T03:00:00Z");
    expect(await reportPeriod({ calendar, now }, {})).toEqual({
      from: "2026-02-07",
      to: "2026-03-09",
      timezone: "America/New_York",
      today: "2026-03-09",
    });
    expect(await reportPeriod({ calendar, now }, { from: "2026-03-01" })).toMatchObject({
      from: "2026-03-01",
      to: "2026-03-09",
    });
  });

  it("capacity input: the longest window of the coming week, the daily cap, the limits, 60 s calls without history", async () => {
    const input = await capacityInput(
      { db: t.db, calendar, now: () => new Date("2026-03-07T15:00:00Z"), policy: { maxPerDay: 8 } },
      { ratePerSecond: 5, maxConcurrent: 10, maxPerHour: null, maxPerDay: 5000 },
    );
    expect(input).toEqual({
      callingMinutesPerDay: 540, // 11:00–20:00 on Monday, though today is a Saturday
      maxPerDay: 8,
      dialLimits: {
        ratePerSecond: 5,
        maxConcurrent: 10,
        maxPerHour: null,
        maxPerDay: 5000,
        avgCallSeconds: 60,
      },
    });
  });
});
