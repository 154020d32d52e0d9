import { createTestDatabase, type TestDatabase } from "@redial/db/testing";
import { DEFAULT_SCHEDULER_CONFIG } from "@redial/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseCalendar, InvalidSchedulerConfig, seedCalendar, updateCalendar } from "../src/index.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.drop());

const seedFile = {
  timezone: "America/Chicago",
  schedule: { days: [1, 2, 3, 4, 5, 6], startTime: "09:00", endTime: "19:00" },
  blackoutDates: ["2026-12-24"],
};

describe("the campaign calendar", () => {
  it("is read from SCHEDULER_CONFIG's file at first start only; afterwards the database wins", async () => {
    expect((await seedCalendar(database.db, seedFile)).timezone).toBe("America/Chicago");
    const again = await seedCalendar(database.db, { ...seedFile, timezone: "America/Denver" });
    expect(again.timezone).toBe("America/Chicago");
  });

  it("a change reaches every process within 10 s: each re-reads it every 5 s in the background", async () => {
    const calendar = databaseCalendar(database.db, { refreshMs: 100 });
    try {
      expect((await calendar.get()).schedule.startTime).toBe("09:00");
      await updateCalendar(database.db, {
        ...seedFile,
        schedule: { ...seedFile.schedule, startTime: "10:00" },
      });
      // get() answers from memory (it never takes a connection inside a transaction) …
      expect((await calendar.get()).schedule.startTime).toBe("09:00");
      // … and the background refresh brings the change.
      const deadline = Date.now() + 5_000;
      while ((await calendar.get()).schedule.startTime !== "10:00") {
        if (Date.now() > deadline) throw new Error("the calendar was not refreshed");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      calendar.stop();
    }
  });

  it("refuses an invalid calendar, naming the field", async () => {
    await expect(
      updateCalendar(database.db, { ...seedFile, timezone: "Nowhere/Else" }),
    ).rejects.toBeInstanceOf(InvalidSchedulerConfig);
  });

  it("defaults to 11:00–20:00 America/New_York, Monday to Friday", () => {
    expect(DEFAULT_SCHEDULER_CONFIG).toMatchObject({
      timezone: "America/New_York",
      schedule: { days: [1, 2, 3, 4, 5], startTime: "11:00", endTime: "20:00" },
    });
  });
});
