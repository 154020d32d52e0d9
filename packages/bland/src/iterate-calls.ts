import type { CallListItem, IterateCallsQuery, ListCallsQuery, ListCallsResult } from "./bland-types.ts";

type ListCalls = (q: ListCallsQuery) => Promise<ListCallsResult>;

const HOUR_MS = 3_600_000;

/**
 * Walks [startDate, endDate) window by window. Inside a window it pages by date, not by index:
 * each request starts at the created_at of the last call seen (inclusive), de-duplicated by
 * call_id. Only when a whole page shares one created_at does it fall back to index pages.
 * Never trusts `count`; keeps only the current window's ids in memory.
 */
export async function* iterateCallWindows(
  listCalls: ListCalls,
  q: IterateCallsQuery,
): AsyncGenerator<CallListItem> {
  const start = toMs(q.startDate, "startDate");
  const end = toMs(q.endDate, "endDate");
  const windowMs = Math.max(1, (q.windowHours ?? 24) * HOUR_MS);
  const pageSize = q.pageSize ?? 1000;
  for (let windowStart = start; windowStart < end; windowStart += windowMs) {
    yield* iterateWindow(listCalls, windowStart, Math.min(end, windowStart + windowMs), pageSize);
  }
}

async function* iterateWindow(listCalls: ListCalls, start: number, end: number, pageSize: number) {
  const seen = new Set<string>();
  const endDate = new Date(end).toISOString();
  let cursor = start;
  let indexOffset = 0;
  for (;;) {
    const page = await listCalls({
      startDate: new Date(cursor).toISOString(),
      endDate,
      ascending: true,
      limit: pageSize,
      ...(indexOffset > 0 ? { from: indexOffset, to: indexOffset + pageSize } : {}),
    });
    for (const call of page.calls) {
      const at = Date.parse(call.created_at);
      if (seen.has(call.call_id) || !(at >= start && at < end)) continue;
      seen.add(call.call_id);
      yield call;
    }
    if (page.calls.length < pageSize) return;
    const last = Date.parse(page.calls.at(-1)?.created_at ?? "");
    if (Number.isFinite(last) && last > cursor) {
      cursor = last;
      indexOffset = 0;
    } else {
      indexOffset += pageSize;
    }
  }
}

function toMs(date: string, name: string): number {
  const ms = Date.parse(date);
  if (Number.isNaN(ms))
    throw new RangeError(`iterateCalls: ${name} "${date}" is not a date; pass an ISO date`);
  return ms;
}
