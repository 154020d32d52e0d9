import type { TestDatabase } from "@redial/db/testing";
import { createTestDatabase } from "@redial/db/testing";
import { ReportArgumentError } from "@redial/reports";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkReportRange, isReportDay, withReportTimeout } from "../src/index.ts";

describe("report days and ranges", () => {
  it("a report day is a real calendar date between 2000 and 2099", () => {
    for (const day of ["2026-02-28", "2024-02-29", "2000-01-01", "2099-12-31"])
      expect(isReportDay(day), day).toBe(true);
    for (const day of [
      "2026-02-30",
      "2025-02-29",
      "9999-01-01",
      "1999-12-31",
      "2026-3-1",
      "2026-03-01T00:00",
      "",
    ])
      expect(isReportDay(day), day).toBe(false);
  });

  it("reversed or longer than the cap is refused; the message names the page to ask for", () => {
    expect(() => checkReportRange("2026-03-10", "2026-03-01", 400)).toThrow(/swap/);
    expect(() => checkReportRange("2026-01-01", "2026-01-11", 10)).toThrow(
      /at most 10 .*from=2026-01-01&to=2026-01-10/,
    );
    expect(() => checkReportRange("2026-01-01", "2026-01-10", 10)).not.toThrow();
    expect(() => checkReportRange("2026-02-30", "2026-03-01", 10)).toThrow(ReportArgumentError);
  });
});

describe("withReportTimeout", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database.drop());

  it("runs the report read-only under the statement timeout, and only that transaction", async () => {
    const settings = await withReportTimeout(database.db, 1234, async (trx) => {
      const { rows } = await sql<{ timeout: string; read_only: string }>`
        SELECT current_setting('statement_timeout') AS timeout, current_setting('transaction_read_only') AS read_only`.execute(
        trx,
      );
      return rows[0];
    });
    expect(settings).toEqual({ timeout: "1234ms", read_only: "on" });
    const { rows } = await sql<{
      timeout: string;
    }>`SELECT current_setting('statement_timeout') AS timeout`.execute(database.db);
    expect(rows[0]?.timeout).toBe("0");
  });

  it("a query past the timeout is cancelled (SQLSTATE 57014), not left running", async () => {
    await expect(
      withReportTimeout(database.db, 100, (trx) => sql`SELECT pg_sleep(2)`.execute(trx)),
    ).rejects.toMatchObject({ code: "57014" });
  });
});
