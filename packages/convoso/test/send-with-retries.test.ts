import { describe, expect, it } from "vitest";
import { backoffDelay } from "../src/send-with-retries.ts";

describe("backoffDelay", () => {
  it("doubles per attempt, jittered between half and all of base·2^attempt", () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, 250, null, () => 0))).toEqual([125, 250, 500, 1000]);
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, 250, null, () => 1))).toEqual([250, 500, 1000, 2000]);
  });

  it("is capped at 30 s", () => {
    expect(backoffDelay(20, 250, null, () => 1)).toBe(30_000);
  });

  it("never goes below Retry-After", () => {
    expect(backoffDelay(0, 250, 5000, () => 1)).toBe(5000);
    expect(backoffDelay(4, 250, 100, () => 1)).toBe(4000);
  });
});
