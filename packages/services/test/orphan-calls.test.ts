import type { TestDatabase } from "@redial/db/testing";
import type { BlandCall } from "@redial/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DialDependencies,
  dialLead,
  ensureDialSlots,
  intakeLead,
  pauseLead,
  type RedialContext,
  type Runtime,
  reconcileOrphanCalls,
  stopLead,
} from "../src/index.ts";
import { startTestRuntime } from "../src/testing/test-runtime.ts";

let database: TestDatabase;
let runtime: Runtime;
beforeAll(async () => {
  ({ database, runtime } = await startTestRuntime({ syncToConvoso: false }));
  await ensureDialSlots(runtime.ctx.db, 5);
});
afterAll(async () => {
  await runtime.stop();
  await database.drop();
});

/** Bland as the test sets it: the calls it knows, by id. */
const bland = new Map<string, BlandCall>();
const deps: DialDependencies = {
  dialer: {
    place: async ({ attemptId }) => ({ callId: `orphan-${attemptId}` }),
    findPlacedCall: async () => undefined,
    getCall: async (callId) => bland.get(callId),
    classify: (error) => ({ kind: "ambiguous", message: String(error) }),
  },
  limits: { maxConcurrent: 5, maxPerHour: null, maxPerDay: null },
};

// Wednesday 2026-12-02, 12:00 Eastern; the reconcile deadline is 32 minutes (test runtime).
const at = (minutes: number): RedialContext => ({
  ...runtime.ctx,
  now: () => new Date(Date.parse("2026-12-02T17:00:00Z") + minutes * 60_000),
});

async function busySlots(): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM dial_slots WHERE attempt_id IS NOT NULL`.execute(runtime.ctx.db);
  return rows[0]?.n ?? 0;
}

async function attemptOf(leadId: number) {
  return runtime.ctx.db
    .selectFrom("call_attempts")
    .select(["id", "state", "outcome"])
    .where("lead_id", "=", leadId)
    .executeTakeFirstOrThrow();
}

describe("calls whose lead was completed or paused while they ran, and whose webhook never came", () => {
  it("are reconciled past their expected length: the result is recorded, the slot comes back, the lead stays as it is", async () => {
    const sold = await intakeLead(at(0), { phone: "2125550801" });
    const paused = await intakeLead(at(0), { phone: "2125550802" });
    const active = await intakeLead(at(0), { phone: "2125550803" });
    for (const { lead } of [sold, paused, active])
      expect(await dialLead(at(0), deps, lead.id)).toBe("placed");
    expect(await busySlots()).toBe(3);
    // A closer sells to the first during the call; the second is paused; the webhooks are lost.
    await stopLead(at(1), sold.lead.id, "SALE");
    await pauseLead(at(1), paused.lead.id);
    const soldCall = await attemptOf(sold.lead.id);
    bland.set(`orphan-${soldCall.id}`, {
      call_id: `orphan-${soldCall.id}`,
      completed: true,
      status: "completed",
      answered_by: "human",
      call_length: 4,
      metadata: { attempt_id: soldCall.id },
    });
    // Bland does not know the paused lead's call: it was never placed.

    // Before the expected call's end (2 minutes: no recent call, the floor) nothing is touched.
    expect(await reconcileOrphanCalls(at(1.5), deps)).toBe(0);
    // Past it, both, long before the 32-minute deadline; the active lead's call is its own dial job's business.
    expect(await reconcileOrphanCalls(at(3), deps)).toBe(2);
    expect((await attemptOf(sold.lead.id)).state).toBe("ended");
    expect((await attemptOf(paused.lead.id)).state).toBe("not_placed");
    expect((await attemptOf(active.lead.id)).state).toBe("in_progress");
    expect(await busySlots()).toBe(1);
    const leads = await runtime.ctx.db
      .selectFrom("leads")
      .select(["id", "status", "final_outcome"])
      .where("id", "in", [sold.lead.id, paused.lead.id])
      .orderBy("id")
      .execute();
    expect(leads).toEqual([
      { id: sold.lead.id, status: "completed", final_outcome: "SALE" },
      { id: paused.lead.id, status: "paused", final_outcome: null },
    ]);
    // Nothing left for the next minute.
    expect(await reconcileOrphanCalls(at(4), deps)).toBe(0);
  });
});

describe("a call Bland reports running long past its deadline (a status we do not read as ended)", () => {
  it("is looked at again while it may still run, then recorded as ended: the lead and its slot go on", async () => {
    const { lead } = await intakeLead(at(0), { phone: "2125550804" });
    expect(await dialLead(at(0), deps, lead.id)).toBe("placed");
    const call = await attemptOf(lead.id);
    bland.set(`orphan-${call.id}`, {
      call_id: `orphan-${call.id}`,
      completed: false,
      status: "on-hold-transfer",
      metadata: { attempt_id: call.id },
    });
    const slotsBefore = await busySlots();
    // Past the 32-minute deadline, Bland says it still runs: looked at again later.
    expect(await dialLead(at(40), deps, lead.id)).toBe("waiting_for_result");
    expect((await attemptOf(lead.id)).state).toBe("in_progress");
    // Four deadlines after the dial, it is taken as ended.
    expect(await dialLead(at(130), deps, lead.id)).toBe("reconciled");
    expect((await attemptOf(lead.id)).state).toBe("ended");
    expect(await busySlots()).toBe(slotsBefore - 1);
    const row = await runtime.ctx.db
      .selectFrom("leads")
      .select(["status"])
      .where("id", "=", lead.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("active");
  });
});
