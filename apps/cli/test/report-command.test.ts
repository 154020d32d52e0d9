import { createTestDatabase, type TestDatabase } from "@redial/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runReport } from "../src/commands/report-command.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.drop());

describe("redial report: its dates are checked like the API's", () => {
  it("--from 2026-02-30 is refused naming the flag, before any query", async () => {
    await expect(runReport("range", { from: "2026-02-30" }, { DATABASE_URL: database.url })).rejects.toThrow(
      /^--from 2026-02-30: not a calendar date/,
    );
  });

  it("a range longer than REPORT_MAX_DAYS is refused with the page to ask for", async () => {
    await expect(
      runReport(
        "range",
        { from: "2026-01-01", to: "2026-01-20" },
        { DATABASE_URL: database.url, REPORT_MAX_DAYS: "10" },
      ),
    ).rejects.toThrow(/at most 10 .*to=2026-01-10/);
  });

  it("a valid range runs under the statement timeout and prints the report", async () => {
    const text = await runReport(
      "range",
      { from: "2026-01-01", to: "2026-01-03", json: true },
      { DATABASE_URL: database.url },
    );
    expect(JSON.parse(text).days).toHaveLength(3);
  });
});
