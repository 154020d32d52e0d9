import { describe, expect, it } from "vitest";
import {
  countInversions,
  firstAtCap,
  longestFreeSlot,
  placedOutOfOrder,
  type RushDial,
  takenOutOfOrder,
} from "../src/window-rush/timeline.ts";

const dial = (callback: boolean, takenMs: number, placedMs: number): RushDial => ({
  callback,
  dueMs: 0,
  takenMs,
  placedMs,
});

describe("window-rush timeline", () => {
  it("counts inversions by merge sort: pairs in the wrong order, ties not", () => {
    const numbers = (a: number, b: number) => a - b;
    expect(countInversions([1, 2, 3], numbers)).toBe(0);
    expect(countInversions([3, 2, 1], numbers)).toBe(3);
    expect(countInversions([2, 2, 1], numbers)).toBe(2);
  });

  it("reaches the cap when placements outrun ends, and a freed slot waits until the next placement", () => {
    // cap 2: placed at 0 and 10 (cap at 10); one ends at 20, the next placement at 25 fills it.
    expect(firstAtCap([0, 10, 25], [20], 2)).toBe(10);
    expect(firstAtCap([0, 10], [5], 2)).toBeUndefined();
    const free = longestFreeSlot([0, 10, 25, 60], [20, 30], 10);
    expect(free.gapsMs).toEqual([5, 30]);
    expect(free.ms).toBe(30);
  });

  it("the fleet's order: a lead without a callback taken before a callback is an inversion; the same fetch is not", () => {
    expect(takenOutOfOrder([dial(true, 1, 5), dial(false, 1, 3), dial(false, 2, 6)])).toBe(0);
    expect(takenOutOfOrder([dial(false, 1, 3), dial(true, 2, 5)])).toBe(1);
    // A callback never taken while a plain lead was: out of order too.
    expect(takenOutOfOrder([dial(false, 1, 3), dial(true, Infinity, Infinity)])).toBe(1);
    // Neither taken yet: nothing to say.
    expect(takenOutOfOrder([dial(false, Infinity, Infinity), dial(true, Infinity, Infinity)])).toBe(0);
  });

  it("calls placed out of order: pairs, and how late the latest callback came after a plain call", () => {
    expect(placedOutOfOrder([dial(true, 1, 3), dial(false, 1, 4)])).toEqual({ pairs: 0, latestMs: 0 });
    const late = placedOutOfOrder([
      dial(false, 1, 10),
      dial(true, 1, 12),
      dial(false, 1, 13),
      dial(true, 1, 40),
    ]);
    expect(late.pairs).toBe(3); // 10 before 12 and 40, 13 before 40
    expect(late.latestMs).toBe(30); // the callback at 40 came 30 ms after the first plain call
  });
});
