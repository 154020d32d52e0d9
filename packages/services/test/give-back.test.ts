import type { TestDatabase } from "@redial/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { giveBack } from "../src/give-back.ts";
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

class Timeout extends Error {}

// Wednesday 2026-12-02, 14:00 New York: inside the calling window.
const ctx = (): RedialContext => ({ ...runtime.ctx, now: () => new Date("2026-12-02T19:00:00Z") });

/** A dial whose request times out: Bland may or may not have placed it (the attempt stays open, no call id). */
function timingOutDial(): DialDependencies {
  const dialer: Dialer = {
    place: async ({ beforeSend }) => {
      await beforeSend?.();
      throw new Timeout("timed out");
    },
    findPlacedCall: async () => undefined,
    getCall: async () => undefined,
    classify: (error) => ({ kind: "ambiguous", message: String(error) }),
  };
  return {
    dialer,
    limits: { maxConcurrent: 10, maxPerHour: null, maxPerDay: null },
    wait: async () => undefined,
  };
}

async function openDial(phone: string) {
  const { lead } = await intakeLead(ctx(), { phone, state: "NY", zip: "10001" });
  await dialLead(ctx(), timingOutDial(), lead.id);
  const attempt = await runtime.ctx.db
    .selectFrom("call_attempts")
    .select(["id", "state"])
    .where("lead_id", "=", lead.id)
    .executeTakeFirstOrThrow();
  expect(attempt.state).toBe("dialing");
  return { leadId: lead.id, attemptId: attempt.id };
}

async function standing(leadId: number, attemptId: number) {
  const attempt = await runtime.ctx.db
    .selectFrom("call_attempts")
    .select(["state", "bland_call_id"])
    .where("id", "=", attemptId)
    .executeTakeFirstOrThrow();
  const slot = await runtime.ctx.db
    .selectFrom("dial_slots")
    .select("slot")
    .where("attempt_id", "=", attemptId)
    .executeTakeFirst();
  const lead = await runtime.ctx.db
    .selectFrom("leads")
    .select("waiting_reason")
    .where("id", "=", leadId)
    .executeTakeFirstOrThrow();
  return { ...attempt, slotHeld: slot !== undefined, waitingReason: lead.waiting_reason };
}

describe("giving back a dial that was not placed", () => {
  it("an open dial without a Bland call id is given back: not placed, its slot freed", async () => {
    const { leadId, attemptId } = await openDial("2125550801");
    await giveBack(ctx(), timingOutDial(), leadId, attemptId, "no call found at Bland");
    expect(await standing(leadId, attemptId)).toMatchObject({ state: "not_placed", slotHeld: false });
  });

  it("a dial given back counts nowhere: the lead's attempts_total drops back, REDIAL_MAX_TOTAL_ATTEMPTS still lets it be dialed, and the next dial is numbered after it", async () => {
    const { leadId, attemptId } = await openDial("2125550804");
    const total = async () =>
      (
        await runtime.ctx.db
          .selectFrom("leads")
          .select("attempts_total")
          .where("id", "=", leadId)
          .executeTakeFirstOrThrow()
      ).attempts_total;
    expect(await total()).toBe(1);
    await giveBack(ctx(), timingOutDial(), leadId, attemptId, "no call found at Bland");
    expect(await total()).toBe(0);

    // A lifetime cap of one call: the dial given back was not that call; two minutes later it is placed.
    const later: RedialContext = {
      ...ctx(),
      policy: { ...runtime.ctx.policy, maxTotalAttempts: 1 },
      now: () => new Date("2026-12-02T19:02:00Z"),
    };
    const placing: DialDependencies = {
      ...timingOutDial(),
      dialer: { ...timingOutDial().dialer, place: async () => ({ callId: "call-after-give-back" }) },
    };
    await dialLead(later, placing, leadId);
    const attempts = await runtime.ctx.db
      .selectFrom("call_attempts")
      .select(["attempt_number", "state", "bland_call_id"])
      .where("lead_id", "=", leadId)
      .orderBy("id")
      .execute();
    expect(attempts).toEqual([
      { attempt_number: 1, state: "not_placed", bland_call_id: null },
      { attempt_number: 2, state: "in_progress", bland_call_id: "call-after-give-back" },
    ]);
    expect(await total()).toBe(1);
  });

  it("a dial that ended meanwhile (its result came) is left as it is", async () => {
    const { leadId, attemptId } = await openDial("2125550803");
    const before = await standing(leadId, attemptId);
    await runtime.ctx.db
      .updateTable("call_attempts")
      .set({
        bland_call_id: "call-ended",
        state: "ended",
        outcome: "NO_ANSWER",
        ended_at: new Date("2026-12-02T19:00:20Z"),
      })
      .where("id", "=", attemptId)
      .execute();
    await giveBack(ctx(), timingOutDial(), leadId, attemptId, "no call found at Bland");
    // Nor is its lead rescheduled as if the dial had not been placed.
    expect(await standing(leadId, attemptId)).toMatchObject({
      state: "ended",
      bland_call_id: "call-ended",
      waitingReason: before.waitingReason,
    });
  });

  it("a dial bound to a Bland call id meanwhile is never given back: the call stays live, its slot held, its lead not redialed", async () => {
    const { leadId, attemptId } = await openDial("2125550802");
    const before = await standing(leadId, attemptId);
    // The webhook (or a check) found the call placed after the give-back was decided.
    await runtime.ctx.db
      .updateTable("call_attempts")
      .set({ bland_call_id: "call-found-late", state: "in_progress" })
      .where("id", "=", attemptId)
      .execute();
    await giveBack(ctx(), timingOutDial(), leadId, attemptId, "no call found at Bland");
    expect(await standing(leadId, attemptId)).toEqual({
      state: "in_progress",
      bland_call_id: "call-found-late",
      slotHeld: true,
      waitingReason: before.waitingReason,
    });
  });
});
