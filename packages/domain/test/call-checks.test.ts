import { describe, expect, it } from "vitest";
import {
  callChecksFor,
  firstCallCheck,
  isCallCheckDue,
  isCallPastGivingUp,
  latestSendFor,
  nextCallCheck,
} from "../src/index.ts";
import { at } from "./helpers.ts";

const settings = {
  settleAfterMs: 45_000,
  expectedFactor: 2,
  expectedFloorMs: 120_000,
  pollGapMs: 60_000,
  deadlineMs: 32 * 60_000,
};
const DIALED = at("2026-12-02T17:00:00Z");
const placed = { dialedAt: DIALED, placed: true };
const unsure = { dialedAt: DIALED, placed: false };

describe("callChecksFor: the expected call is twice the median of recent calls, floored, within the deadline", () => {
  it("a median of 3 minutes expects 6; no recent call or short ones expect the floor; a long median stops at the deadline", () => {
    expect(callChecksFor(settings, 180).expectedCallMs).toBe(360_000);
    expect(callChecksFor(settings, null).expectedCallMs).toBe(120_000);
    expect(callChecksFor(settings, 10).expectedCallMs).toBe(120_000);
    expect(callChecksFor(settings, 3600).expectedCallMs).toBe(32 * 60_000);
  });
});

describe("when an open call is asked about at Bland", () => {
  const checks = callChecksFor(settings, 180);

  it("a dial without Bland's call id is asked about 45 s after it was written; a placed call at its expected end", () => {
    expect(firstCallCheck(unsure, checks)).toEqual(at("2026-12-02T17:00:45Z"));
    expect(firstCallCheck(placed, checks)).toEqual(at("2026-12-02T17:06:00Z"));
    expect(isCallCheckDue(unsure, at("2026-12-02T17:00:44Z"), checks)).toBe(false);
    expect(isCallCheckDue(unsure, at("2026-12-02T17:00:45Z"), checks)).toBe(true);
  });

  it("after its first check a call is asked about again 1, 2, 4, 8 … minutes later, not only at the deadline", () => {
    const next = (now: string) => nextCallCheck(placed, at(now), checks);
    expect(next("2026-12-02T17:01:00Z")).toEqual(at("2026-12-02T17:06:00Z"));
    expect(next("2026-12-02T17:06:00Z")).toEqual(at("2026-12-02T17:07:00Z"));
    expect(next("2026-12-02T17:07:00Z")).toEqual(at("2026-12-02T17:09:00Z"));
    expect(next("2026-12-02T17:09:30Z")).toEqual(at("2026-12-02T17:13:00Z"));
    expect(next("2026-12-02T17:13:00Z")).toEqual(at("2026-12-02T17:21:00Z"));
    // The next gap would end past the deadline (17:37): the deadline itself is a check.
    expect(next("2026-12-02T17:21:00Z")).toEqual(at("2026-12-02T17:32:00Z"));
    expect(next("2026-12-02T17:32:00Z")).toEqual(at("2026-12-02T17:37:00Z"));
  });

  it("Bland unreachable at the settle time: asked again after a growing wait, never taken as not placed", () => {
    expect(nextCallCheck(unsure, at("2026-12-02T17:00:45Z"), checks)).toEqual(at("2026-12-02T17:01:45Z"));
    expect(nextCallCheck(unsure, at("2026-12-02T17:01:45Z"), checks)).toEqual(at("2026-12-02T17:03:45Z"));
  });

  it("a dial's request leaves within half its settle time or not at all; a call still running four deadlines on is taken as ended", () => {
    expect(latestSendFor(DIALED, checks)).toEqual(at("2026-12-02T17:00:22.500Z"));
    expect(isCallPastGivingUp(placed, at("2026-12-02T19:08:00Z"), checks)).toBe(false);
    expect(isCallPastGivingUp(placed, at("2026-12-02T19:08:01Z"), checks)).toBe(true);
  });
});
