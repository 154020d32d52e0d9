import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { HOLIDAY_CALENDAR_TABLE, STATE_CALLING_RULES, STATE_RULES_TABLE, stateRuleOn } from "../src/index.ts";

/**
 * Every version of the state rules table and the digest of its rows. A change to the rows must
 * come with a new STATE_RULES_TABLE version and effective-from date, pinned here: stored evidence
 * names the version it was decided with, and that name must keep meaning the rows it meant.
 */
const STATE_RULES_DIGESTS: Record<string, string> = {
  "2026-11-28": "58c24e22d1475e5404a5b5797149795d54f583e34d559a3281b8385b86854c86",
};

describe("rule tables carry a version and an effective-from date", () => {
  it("the state rules' rows are the ones their version names (an edit needs a new version, pinned here)", () => {
    const digest = createHash("sha256").update(JSON.stringify(STATE_CALLING_RULES)).digest("hex");
    expect(
      STATE_RULES_DIGESTS[STATE_RULES_TABLE.version],
      `state-calling-rules changed (digest ${digest}) without a new version: give STATE_RULES_TABLE a new version and effectiveFrom, and pin the digest here`,
    ).toBe(digest);
    expect(STATE_RULES_TABLE.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("the holiday calendar's version names the installed date-holidays (an upgrade needs a new version)", () => {
    const require = createRequire(import.meta.url);
    const { version } = require("date-holidays/package.json") as { version: string };
    expect(HOLIDAY_CALENDAR_TABLE.version).toContain(`date-holidays ${version};`);
    expect(HOLIDAY_CALENDAR_TABLE.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("Maryland's 08:00–20:00 row is in force from 2024-01-01, and no Maryland row before", () => {
    expect(stateRuleOn("MD", "2023-12-31")).toBeUndefined();
    expect(stateRuleOn("MD", "2024-01-01")).toMatchObject({ state: "MD", effectiveFrom: "2024-01-01" });
    expect(stateRuleOn("MD", "2024-01-01")?.hours[1]).toBe("08:00-20:00");
  });

  it("every row names its source and a real effective date", () => {
    for (const row of STATE_CALLING_RULES) {
      expect(row.source.length, row.state).toBeGreaterThan(0);
      expect(Number.isNaN(Date.parse(row.effectiveFrom)), row.state).toBe(false);
    }
  });
});
