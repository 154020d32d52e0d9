/**
 * The window-opening rush's arithmetic over what the simulator saw (pure: times in ms, sorted
 * ascending). A "slot" here is one of Bland's concurrent calls: a call in progress on the simulator.
 */

/** When the simulator first held `cap` calls at once (ms), or undefined. */
export function firstAtCap(
  placed: readonly number[],
  ended: readonly number[],
  cap: number,
): number | undefined {
  let live = 0;
  let e = 0;
  for (const at of placed) {
    while (e < ended.length && (ended[e] ?? Number.POSITIVE_INFINITY) <= at) {
      live--;
      e++;
    }
    live++;
    if (live >= cap) return at;
  }
  return undefined;
}

/**
 * The longest a freed slot stayed free while leads were still waiting: from the cap first
 * reached to the last placement, every call that ended frees a slot, and the next placement
 * fills the slot free the longest (first in, first out). Ends after the last placement are the
 * drained tail and do not count. 0 when no slot was ever freed before the last placement.
 * `gapsMs`: every refill's wait, ascending.
 */
export function longestFreeSlot(
  placed: readonly number[],
  ended: readonly number[],
  capReachedAt: number,
): { ms: number; at: number | undefined; gapsMs: number[] } {
  const lastPlacement = placed.at(-1) ?? Number.NEGATIVE_INFINITY;
  const freed = ended.filter((at) => at >= capReachedAt && at <= lastPlacement);
  let longest = 0;
  let longestAt: number | undefined;
  let next = 0;
  const gapsMs: number[] = [];
  for (const at of placed) {
    if (at <= capReachedAt) continue;
    const since = freed[next];
    if (since === undefined || since > at) continue; // a placement racing its slot's end
    next++;
    gapsMs.push(at - since);
    if (at - since > longest) {
      longest = at - since;
      longestAt = since;
    }
  }
  return { ms: longest, at: longestAt, gapsMs: gapsMs.sort((a, b) => a - b) };
}

/** Mean share of `cap` in use over samples of calls in progress (over-cap samples count as full). */
export function occupancy(samples: readonly number[], cap: number): number {
  if (samples.length === 0) return Number.NaN;
  return samples.reduce((sum, live) => sum + Math.min(live, cap), 0) / samples.length / cap;
}

/**
 * Pairs dialed in the wrong order: i dialed before j although j comes first by the rules
 * (`before(j, i)`), counted by merge sort in O(n log n). Ties are not inversions.
 */
export function countInversions<T>(dialOrder: readonly T[], compare: (a: T, b: T) => number): number {
  let items = [...dialOrder];
  let inversions = 0;
  for (let width = 1; width < items.length; width *= 2) {
    const merged: T[] = [];
    for (let left = 0; left < items.length; left += 2 * width) {
      const a = items.slice(left, left + width);
      const b = items.slice(left + width, left + 2 * width);
      let i = 0;
      let j = 0;
      while (i < a.length && j < b.length) {
        if (compare(b[j] as T, a[i] as T) < 0) {
          inversions += a.length - i;
          merged.push(b[j++] as T);
        } else merged.push(a[i++] as T);
      }
      merged.push(...a.slice(i), ...b.slice(j));
    }
    items = merged;
  }
  return inversions;
}

/** A lead of the rush: a callback or not, when it was due, taken by the fleet, its call placed (ms; Infinity: not yet). */
export interface RushDial {
  callback: boolean;
  dueMs: number;
  takenMs: number;
  placedMs: number;
}

/** Callbacks first, then by due time: the order the rules give the fleet. */
export function byTheRules(
  a: Pick<RushDial, "callback" | "dueMs">,
  b: Pick<RushDial, "callback" | "dueMs">,
): number {
  if (a.callback !== b.callback) return a.callback ? -1 : 1;
  return a.dueMs - b.dueMs;
}

/**
 * Pairs the fleet took out of the rules' order: a lead taken (its dial job fetched) strictly
 * before one that comes first by the rules, or taken while that one never was. Leads taken by
 * the same fetch (the same instant) are one step: their order inside it is the rules'.
 */
export function takenOutOfOrder(dials: readonly RushDial[]): number {
  const taken = [...dials].sort((a, b) => a.takenMs - b.takenMs || byTheRules(a, b));
  // Equal takenMs (both Infinity included) count as the same step: not an inversion.
  return countInversions(taken, (a, b) => (a.takenMs === b.takenMs ? 0 : byTheRules(a, b)));
}

/**
 * Calls placed out of the rules' order (taken in order, their dials run side by side and the
 * later one reached Bland first): how many pairs, and the most a call came after one that
 * should have followed it (ms; 0 when none).
 */
export function placedOutOfOrder(dials: readonly RushDial[]): { pairs: number; latestMs: number } {
  const placed = dials
    .filter((dial) => Number.isFinite(dial.placedMs))
    .sort((a, b) => a.placedMs - b.placedMs);
  let latestMs = 0;
  let firstOfEachRank: RushDial[] = [];
  for (const dial of placed) {
    // The earliest placed call that comes after `dial` by the rules (placed before it).
    for (const earlier of firstOfEachRank)
      if (byTheRules(dial, earlier) < 0) latestMs = Math.max(latestMs, dial.placedMs - earlier.placedMs);
    if (!firstOfEachRank.some((earlier) => byTheRules(earlier, dial) === 0))
      firstOfEachRank = [...firstOfEachRank, dial];
  }
  return { pairs: countInversions(placed, byTheRules), latestMs };
}
