import { describe, expect, it } from "vitest";
import type { CallListItem, ListCallsQuery, ListCallsResult } from "../src/index.ts";
import { iterateCallWindows } from "../src/iterate-calls.ts";

const base = Date.parse("2025-03-01T00:00:00Z");

function call(i: number, at: number): CallListItem {
  return { call_id: `c${i}`, created_at: new Date(at).toISOString(), to: "+15550000000" };
}

/** A fake list endpoint over a sorted array, with a lying count and an optional repeat of the page's first call. */
function fakeList(calls: CallListItem[], opts: { repeatFirst?: boolean } = {}) {
  const requests: ListCallsQuery[] = [];
  const list = async (q: ListCallsQuery): Promise<ListCallsResult> => {
    requests.push(q);
    const start = Date.parse(q.startDate ?? "1970-01-01");
    const end = Date.parse(q.endDate ?? "2100-01-01");
    const matching = calls.filter((c) => Date.parse(c.created_at) >= start && Date.parse(c.created_at) < end);
    const from = q.from ?? 0;
    const page = matching.slice(from, Math.min(q.to ?? Number.POSITIVE_INFINITY, from + (q.limit ?? 1000)));
    const first = matching[0];
    if (opts.repeatFirst && first && page.length > 1) page[page.length - 1] = first;
    return { count: matching.length + 17, calls: page };
  };
  return { list, requests };
}

async function collect(gen: AsyncGenerator<CallListItem>): Promise<CallListItem[]> {
  const out: CallListItem[] = [];
  for await (const item of gen) out.push(item);
  return out;
}

describe("iterateCalls", () => {
  it("returns every call once across windows and pages, whatever the count says", async () => {
    const calls = Array.from({ length: 950 }, (_, i) => call(i, base + i * 137_000));
    const { list } = fakeList(calls);
    const got = await collect(
      iterateCallWindows(list, {
        startDate: new Date(base).toISOString(),
        endDate: new Date(base + 2 * 86_400_000).toISOString(),
        windowHours: 7,
        pageSize: 33,
      }),
    );
    expect(got.map((c) => c.call_id)).toEqual(calls.map((c) => c.call_id));
  });

  it("falls back to index pages when a whole page shares one created_at", async () => {
    const calls = Array.from({ length: 25 }, (_, i) => call(i, base + (i < 20 ? 0 : 5000)));
    const { list, requests } = fakeList(calls);
    const got = await collect(
      iterateCallWindows(list, {
        startDate: new Date(base).toISOString(),
        endDate: new Date(base + 60_000).toISOString(),
        pageSize: 7,
      }),
    );
    expect(new Set(got.map((c) => c.call_id)).size).toBe(25);
    expect(got).toHaveLength(25);
    expect(requests.some((r) => (r.from ?? 0) > 0)).toBe(true);
  });

  it("drops repeated call ids and calls outside the window", async () => {
    const calls = Array.from({ length: 40 }, (_, i) => call(i, base + i * 1000));
    const { list } = fakeList(calls, { repeatFirst: true });
    const got = await collect(
      iterateCallWindows(list, {
        startDate: new Date(base).toISOString(),
        endDate: new Date(base + 40_000).toISOString(),
        pageSize: 10,
      }),
    );
    const ids = got.map((c) => c.call_id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("refuses a start date that is not a date", async () => {
    const { list } = fakeList([]);
    await expect(
      collect(iterateCallWindows(list, { startDate: "yesterday", endDate: "2025-01-01" })),
    ).rejects.toThrow(/startDate/);
  });
});
