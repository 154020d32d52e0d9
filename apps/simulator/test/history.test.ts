import type { CallListItem } from "@redial/bland";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../src/index.ts";
import { blandClient, callRequest, HISTORY_FROM, HISTORY_TO, startTestSimulator } from "./helpers.ts";

let sim: RunningSimulator;
const COUNT = 1000;

beforeAll(async () => {
  sim = await startTestSimulator({ historyCalls: COUNT });
});
afterAll(() => sim.close());

async function allPages(
  pageSize: number,
  q: { startDate?: string; endDate?: string; ascending?: boolean } = {},
) {
  const client = blandClient(sim);
  const out: CallListItem[] = [];
  for (let from = 0; ; from += pageSize) {
    const page = await client.listCalls({ ...q, from, to: from + pageSize, limit: pageSize });
    out.push(...page.calls);
    if (page.calls.length < pageSize) return { count: page.count, calls: out };
  }
}

describe("the seeded history over GET /v1/calls", () => {
  it("index pages of 7 (which does not divide 1000) cover every call once, newest first by default", async () => {
    const { count, calls } = await allPages(7);
    expect(count).toBe(COUNT);
    expect(new Set(calls.map((c) => c.call_id)).size).toBe(COUNT);
    const times = calls.map((c) => c.created_at);
    expect(times).toEqual([...times].sort().reverse());
  });

  it("ascending pages are the same calls in the other order", async () => {
    const asc = await allPages(300, { ascending: true });
    const desc = await allPages(300);
    expect(asc.calls.map((c) => c.call_id)).toEqual(desc.calls.map((c) => c.call_id).reverse());
  });

  it("start_date is inclusive and end_date exclusive on created_at", async () => {
    const client = blandClient(sim);
    const all = (await allPages(1000, { ascending: true })).calls;
    const pivot = all[400]!.created_at;
    const before = await client.listCalls({ endDate: pivot, limit: 1000 });
    const after = await client.listCalls({ startDate: pivot, limit: 1000 });
    expect(before.count + after.count).toBe(COUNT);
    expect(after.calls.map((c) => c.call_id)).toContain(all[400]!.call_id);
    expect(before.calls.every((c) => c.created_at < pivot)).toBe(true);
  });

  it("a date window returns only its calls, all within the history dates", async () => {
    const { calls, count } = await allPages(50, { startDate: "2025-01-10", endDate: "2025-01-12" });
    expect(count).toBe(calls.length);
    expect(count).toBeGreaterThan(40);
    for (const c of calls) expect(c.created_at >= "2025-01-10" && c.created_at < "2025-01-12").toBe(true);
  });

  it("to_number finds a phone's ~5 calls, and GET /v1/calls/:id gives each full call", async () => {
    const client = blandClient(sim);
    const [first] = (await client.listCalls({ limit: 1, ascending: true })).calls;
    const forPhone = await client.listCalls({ toNumber: first!.to });
    expect(forPhone.count).toBe(5);
    for (const item of forPhone.calls) {
      const call = await client.getCall(item.call_id);
      expect(call).toMatchObject({ call_id: item.call_id, to: first!.to, completed: true });
      expect(call.created_at >= HISTORY_FROM && call.created_at < HISTORY_TO).toBe(true);
    }
  });

  it("is the same for the same seed and different for another", async () => {
    const twin = await startTestSimulator({ historyCalls: COUNT });
    const other = await startTestSimulator({ historyCalls: COUNT, seed: 2 });
    const first = async (s: RunningSimulator) => (await blandClient(s).listCalls({ limit: 3 })).calls;
    expect(await first(twin)).toEqual(await first(sim));
    expect((await first(other))[0]!.call_id).not.toBe((await first(sim))[0]!.call_id);
    await Promise.all([twin.close(), other.close()]);
  });

  it("a million history calls cost no memory and answer any page quickly", async () => {
    const big = await startSimulator({
      port: 0,
      historyCalls: 1_000_000,
      historyFrom: HISTORY_FROM,
      historyTo: HISTORY_TO,
    });
    const client = blandClient(big);
    const page = await client.listCalls({ from: 654_321, to: 654_331, limit: 10 });
    expect(page.count).toBe(1_000_000);
    expect(page.calls).toHaveLength(10);
    const call = await client.getCall(page.calls[0]!.call_id);
    expect(call.call_id).toBe(page.calls[0]!.call_id);
    expect((await client.listCalls({ toNumber: call.to })).count).toBe(5);
    await big.close();
  });
});

describe("history and live calls together", () => {
  it("pages over both, sorted by created_at, when live calls fall inside the history dates", async () => {
    const now = Date.now();
    const mixed = await startTestSimulator({
      historyCalls: 100,
      historyFrom: new Date(now - 3_600_000).toISOString(),
      historyTo: new Date(now + 3_600_000).toISOString(),
      config: { callDurationMs: 60_000 },
    });
    const client = blandClient(mixed);
    const live = [];
    for (let i = 0; i < 3; i++)
      live.push((await client.createCall(callRequest("http://127.0.0.1:9/x"))).callId);
    for (const ascending of [true, false]) {
      const calls: CallListItem[] = [];
      for (let from = 0; ; from += 7) {
        const page = await client.listCalls({ from, to: from + 7, limit: 7, ascending });
        calls.push(...page.calls);
        if (page.calls.length < 7) break;
      }
      expect(new Set(calls.map((c) => c.call_id)).size).toBe(103);
      const times = calls.map((c) => c.created_at);
      expect(times).toEqual(ascending ? [...times].sort() : [...times].sort().reverse());
      expect(calls.map((c) => c.call_id)).toEqual(expect.arrayContaining(live));
    }
    await mixed.close();
  });
});

describe("iterateCalls against the simulator", () => {
  it("yields each of 10,000 seeded calls exactly once, despite a wrong count", async () => {
    const big = await startTestSimulator({
      historyCalls: 10_000,
      config: { faults: { listCountOffset: 123 } },
    });
    const seen = new Set<string>();
    let yielded = 0;
    const client = blandClient(big);
    for await (const call of client.iterateCalls({
      startDate: HISTORY_FROM,
      endDate: HISTORY_TO,
      windowHours: 36,
      pageSize: 333,
    })) {
      seen.add(call.call_id);
      yielded++;
    }
    expect(yielded).toBe(10_000);
    expect(seen.size).toBe(10_000);
    await big.close();
  });
});
