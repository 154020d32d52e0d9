import type { TestDatabase } from "@redial/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DialDependencies,
  type Dialer,
  dialLead,
  ensureDialSlots,
  intakeLead,
  type RedialContext,
  type Runtime,
} from "../src/index.ts";
import { startTestRuntime } from "../src/testing/test-runtime.ts";

let database: TestDatabase;
let runtime: Runtime;
beforeAll(async () => {
  ({ database, runtime } = await startTestRuntime({ syncToConvoso: false }));
  await ensureDialSlots(runtime.ctx.db, 10);
});
afterAll(async () => {
  await runtime.stop();
  await database.drop();
});

class RateLimited extends Error {}

/**
 * A dial whose clock the test moves: Bland's first answer is 429 with Retry-After `retryAfterMs`,
 * and the wait for it moves the clock on instead of sleeping. The dialer runs `beforeSend` right
 * before each request, as the worker's Bland dialer does after the rate limiter.
 */
function dialAt(startIso: string, retryAfterMs: number) {
  let clock = Date.parse(startIso);
  const ctx: RedialContext = { ...runtime.ctx, now: () => new Date(clock) };
  const sent: string[] = [];
  const dialer: Dialer = {
    async place({ beforeSend }) {
      await beforeSend?.();
      sent.push(new Date(clock).toISOString());
      if (sent.length === 1) throw new RateLimited("429");
      return { callId: `call-${sent.length}-${clock}` };
    },
    findPlacedCall: async () => undefined,
    getCall: async () => undefined,
    classify: (error) =>
      error instanceof RateLimited
        ? { kind: "retry", afterMs: retryAfterMs, message: "429" }
        : { kind: "ambiguous", message: String(error) },
  };
  const deps: DialDependencies = {
    dialer,
    limits: { maxConcurrent: 10, maxPerHour: null, maxPerDay: null },
    wait: async (ms) => {
      clock += ms;
    },
  };
  return { ctx, deps, sent };
}

async function attemptsOf(leadId: number) {
  return runtime.ctx.db
    .selectFrom("call_attempts")
    .select(["state", "error_message"])
    .where("lead_id", "=", leadId)
    .execute();
}

describe("the calling window at the moment the request leaves", () => {
  // The campaign: 11:00–20:00 New York, Monday–Friday. Wednesday 2026-12-02.
  it("a 429 whose Retry-After runs past the window's end is not retried: the attempt is given back", async () => {
    const { ctx, deps, sent } = dialAt("2026-12-03T00:59:55Z", 15_000); // 19:59:55 EST
    const { lead } = await intakeLead(ctx, { phone: "2125550701", state: "NY", zip: "10001" });
    expect(await dialLead(ctx, deps, lead.id)).toBe("not_placed");
    // The first request went out at 19:59:55; the retry at 20:00:10 did not.
    expect(sent).toEqual(["2026-12-03T00:59:55.000Z"]);
    expect(await attemptsOf(lead.id)).toEqual([
      { state: "not_placed", error_message: expect.stringContaining("calling window closed") },
    ]);
  });

  it("the same 429 inside the window is retried and places the call", async () => {
    const { ctx, deps, sent } = dialAt("2026-12-03T00:50:00Z", 15_000); // 19:50 EST
    const { lead } = await intakeLead(ctx, { phone: "2125550702", state: "NY", zip: "10001" });
    expect(await dialLead(ctx, deps, lead.id)).toBe("placed");
    expect(sent).toEqual(["2026-12-03T00:50:00.000Z", "2026-12-03T00:50:15.000Z"]);
    expect(await attemptsOf(lead.id)).toEqual([{ state: "in_progress", error_message: null }]);
  });

  it("a retry that would leave past half the settle time (45 s) is not sent: the dial is given back, so its check never races a request on its way", async () => {
    const { ctx, deps, sent } = dialAt("2026-12-03T00:40:00Z", 60_000); // 19:40 EST, Retry-After: 60
    const { lead } = await intakeLead(ctx, { phone: "2125550703", state: "NY", zip: "10001" });
    expect(await dialLead(ctx, deps, lead.id)).toBe("not_placed");
    expect(sent).toEqual(["2026-12-03T00:40:00.000Z"]);
    expect(await attemptsOf(lead.id)).toEqual([
      { state: "not_placed", error_message: expect.stringContaining("could not leave by") },
    ]);
  });
});
