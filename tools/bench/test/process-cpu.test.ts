import { describe, expect, it } from "vitest";
import { intakeCpuBetween } from "../src/webhook-intake/process-cpu.ts";

describe("webhook-intake CPU between two samples", () => {
  it("sums the backends pid by pid: one that started counts whole, one that exited counts nothing, never negative", () => {
    const before = {
      apiMs: 100,
      backendsMs: new Map([
        [1, 50],
        [2, 900],
      ]),
    };
    // Backend 2 exited (its 900 ms gone with it), backend 3 started.
    const after = {
      apiMs: 160,
      backendsMs: new Map([
        [1, 80],
        [3, 20],
      ]),
    };
    expect(intakeCpuBetween(before, after)).toEqual({ apiMs: 60, postgresMs: 50 });
  });
});
