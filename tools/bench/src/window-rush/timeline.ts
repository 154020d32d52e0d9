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
