import { type CallListItem, listItem, type SimCall } from "./call-object.ts";
import type { History } from "./history.ts";

export interface CallListQuery {
  startMs?: number;
  endMs?: number;
  toNumber?: string;
  from: number;
  to?: number;
  limit: number;
  ascending: boolean;
}

/**
 * GET /v1/calls over history + live calls, sorted by created_at (then call_id), with Bland's
 * index pagination. History calls are addressed by index, never materialised beyond the page.
 */
export function listCalls(
  history: History,
  live: Iterable<SimCall>,
  q: CallListQuery,
): { count: number; calls: CallListItem[] } {
  const inRange = (ms: number) =>
    (q.startMs === undefined || ms >= q.startMs) && (q.endMs === undefined || ms < q.endMs);
  const liveMatching = [...live]
    .filter((c) => inRange(Date.parse(c.created_at)) && (q.toNumber === undefined || c.to === q.toNumber))
    .sort(compareCalls);
  const historyIndexes = historyRange(history, q, inRange);
  const count = historyIndexes.length + liveMatching.length;
  const from = Math.max(0, q.from);
  const end = Math.min(count, q.to ?? Number.POSITIVE_INFINITY, from + q.limit);
  if (end <= from) return { count, calls: [] };
  const ascStart = q.ascending ? from : count - end;
  const page = mergedSlice(history, historyIndexes, liveMatching, ascStart, end - from).map(listItem);
  return { count, calls: q.ascending ? page : page.reverse() };
}

/** Matching history indexes as an indexable range (a contiguous run, or one phone's few calls). */
interface IndexRange {
  length: number;
  at(k: number): number;
}

function historyRange(history: History, q: CallListQuery, inRange: (ms: number) => boolean): IndexRange {
  if (q.toNumber !== undefined) {
    const p = history.phoneIndexOfNumber(q.toNumber);
    const indexes =
      p === undefined ? [] : history.callsOfPhone(p).filter((i) => inRange(history.createdAtMs(i)));
    return { length: indexes.length, at: (k) => indexes[k] ?? -1 };
  }
  const first = q.startMs === undefined ? 0 : history.lowerBound(q.startMs);
  const last = q.endMs === undefined ? history.count : history.lowerBound(q.endMs);
  return { length: Math.max(0, last - first), at: (k) => first + k };
}

/** `n` calls from ascending position `start` of the merge of history (by index) and live calls (few). */
function mergedSlice(
  history: History,
  hist: IndexRange,
  live: SimCall[],
  start: number,
  n: number,
): SimCall[] {
  let [h, l] = positionOf(history, hist, live, start);
  const out: SimCall[] = [];
  while (out.length < n && (h < hist.length || l < live.length)) {
    const nextLive = live[l];
    const takeHistory =
      h < hist.length &&
      (nextLive === undefined || history.createdAtMs(hist.at(h)) <= Date.parse(nextLive.created_at));
    if (takeHistory) {
      out.push(history.call(hist.at(h++)));
    } else if (nextLive !== undefined) {
      out.push(nextLive);
      l++;
    }
  }
  return out;
}

/** How many history (h) and live (l) calls precede ascending position k; history wins ties. */
function positionOf(history: History, hist: IndexRange, live: SimCall[], k: number): [number, number] {
  let h = 0;
  for (let l = 0; ; l++) {
    const nextLive = live[l];
    const liveMs = nextLive === undefined ? Number.POSITIVE_INFINITY : Date.parse(nextLive.created_at);
    const histBefore = countBefore(history, hist, h, liveMs);
    if (h + histBefore + l >= k) return [k - l, l];
    h += histBefore;
  }
}

/** How many history calls from position `from` on are created before `ms` (≤ stays before live). */
function countBefore(history: History, hist: IndexRange, from: number, ms: number): number {
  let lo = from;
  let hi = hist.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (history.createdAtMs(hist.at(mid)) <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo - from;
}

function compareCalls(a: SimCall, b: SimCall): number {
  return a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.call_id < b.call_id ? -1 : 1;
}
