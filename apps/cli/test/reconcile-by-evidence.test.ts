import { type BlandCall, createBlandClient } from "@redial/bland";
import type { SimulatorConfigInput } from "@redial/simulator";
import { API_KEY, type Loop, waitFor } from "@redial/testing";
import { loopTest } from "@redial/testing/fixtures";
import { sql } from "kysely";
import { describe, expect } from "vitest";

/**
 * Open calls settled by asking Bland, long before the hard deadline: Bland's max duration is 30
 * minutes here (deadline 32), while a dial without its call id is asked about 2 s after it was
 * written and a placed call from 1 s after its dial (then every 0.5, 1, 2 … s).
 */
const ENV = {
  BLAND_MAX_DURATION_MINUTES: "30",
  RECONCILE_MARGIN_SECONDS: "120",
  RECONCILE_AMBIGUOUS_AFTER_SECONDS: "2",
  BLAND_TIMEOUT_MS: "1000",
  CALL_EXPECTED_LENGTH_FLOOR_SECONDS: "1",
  CALL_POLL_GAP_SECONDS: "0.5",
};

const start = (startLoop: (options?: object) => Promise<Loop>, simulator: SimulatorConfigInput) =>
  startLoop({ env: ENV, simulator });

async function addLead(loop: Loop, phone: string): Promise<number> {
  const response = await loop.api.inject({
    method: "POST",
    url: "/v1/leads",
    headers: { "x-api-key": API_KEY },
    payload: { phone, state: "NY", zip: "10001" },
  });
  expect(response.statusCode, response.body).toBe(201);
  return (response.json() as { id: number }).id;
}

function attemptsOf(loop: Loop, leadId: number) {
  return loop.runtime.ctx.db
    .selectFrom("call_attempts")
    .select(["id", "state", "bland_call_id", "result_source"])
    .where("lead_id", "=", leadId)
    .orderBy("attempt_number")
    .execute();
}

/** The calls our dials placed to `phone` (metadata with a lead id: not the simulator's history), as Bland's API answers them. */
async function blandCallsTo(loop: Loop, phone: string): Promise<BlandCall[]> {
  const bland = createBlandClient({
    baseUrl: loop.simulator.url,
    apiKey: loop.simulator.state.options.blandApiKey,
  });
  const { calls } = await bland.listCalls({ toNumber: phone, limit: 100 });
  const full = await Promise.all(calls.map((call) => bland.getCall(call.call_id)));
  return full.filter((call) => call.metadata?.lead_id !== undefined);
}

async function slotsHeld(loop: Loop): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM dial_slots WHERE attempt_id IS NOT NULL`.execute(loop.runtime.ctx.db);
  return rows[0]?.n ?? 0;
}

describe("open calls settled by asking Bland, not at the deadline", () => {
  loopTest(
    "a dial answered 503 after Bland placed it (and Bland unreachable at first) becomes a live call bound to Bland's call id: no second call",
    async ({ startLoop }) => {
      // The call lasts a minute; the 503 hides its id, and the reads right after it fail too.
      const loop = await start(startLoop, {
        callDurationMs: 60_000,
        faults: { serverErrorAfterPlacing: { next: 1, status: 503 }, readServerError: { next: 4 } },
      });
      const leadId = await addLead(loop, "2125550311");
      await loop.waitFor(
        async () => (await attemptsOf(loop, leadId))[0]?.bland_call_id != null,
        "the attempt bound to Bland's call",
      );
      const calls = await blandCallsTo(loop, "+12125550311");
      const [attempt] = await attemptsOf(loop, leadId);
      expect(calls).toHaveLength(1);
      expect(attempt).toMatchObject({ state: "in_progress", bland_call_id: calls[0]?.call_id });
      expect(Number(calls[0]?.metadata?.attempt_id)).toBe(attempt?.id);
      expect(loop.simulator.state.faultsFired).toMatchObject({
        serverErrorAfterPlacing: 1,
        readServerError: 4,
      });
      // A live call, holding its one slot: nothing dialed it again.
      expect(await attemptsOf(loop, leadId)).toHaveLength(1);
      expect(await slotsHeld(loop)).toBe(1);
      expect(loop.simulator.state.inProgress).toBe(1);
    },
  );

  loopTest.for([
    { fault: "serverErrorBeforePlacing", spec: { next: 1, status: 503 } },
    { fault: "timeoutBeforePlacing", spec: { next: 1, hangMs: 1500 } },
  ] as const)(
    "a dial answered $fault without a call placed is given back at the settle time, and the lead is dialed again",
    async ({ fault, spec }, { startLoop }) => {
      const loop = await start(startLoop, { faults: { [fault]: spec } });
      const leadId = await addLead(loop, "2125550312");
      await loop.waitFor(async () => {
        const attempts = await attemptsOf(loop, leadId);
        return attempts.length >= 2 && attempts[1]?.state === "ended";
      }, "the lead dialed again after its dial was given back");
      const [givenBack, redial] = await attemptsOf(loop, leadId);
      expect(givenBack).toMatchObject({ state: "not_placed", bland_call_id: null });
      const calls = await blandCallsTo(loop, "+12125550312");
      expect(calls.map((call) => Number(call.metadata?.attempt_id))).toContain(redial?.id);
      expect(calls.map((call) => Number(call.metadata?.attempt_id))).not.toContain(givenBack?.id);
      // The attempt given back counts nowhere: today's statistics count the calls Bland placed.
      const stats = await loop.api.inject({
        method: "GET",
        url: "/api/admin/statistics/today",
        headers: { "x-api-key": API_KEY },
      });
      expect((stats.json() as { total_calls: number }).total_calls).toBe(loop.simulator.state.placed);
    },
  );

  loopTest(
    "a call whose webhook never comes is settled by polling Bland, minutes before the 32-minute deadline",
    async ({ startLoop }) => {
      const loop = await start(startLoop, { faults: { webhookMissing: { next: 1 } } });
      const leadId = await addLead(loop, "2125550313");
      await loop.waitFor(
        async () => (await attemptsOf(loop, leadId))[0]?.state === "ended",
        "the call settled without its webhook",
      );
      const [attempt] = await attemptsOf(loop, leadId);
      expect(attempt?.result_source).toBe("reconcile");
      // Inside this test's wait: the 32-minute deadline cannot have come, the poll settled it.
      expect(loop.simulator.state.faultsFired.webhookMissing).toBe(1);
    },
  );

  loopTest(
    "after a fault run (5xx and timeouts before and after placing, lost webhooks, Bland unreachable) slots held equal live calls, one call per attempt, and statistics count only placed calls",
    async ({ startLoop }) => {
      const phones = Array.from({ length: 8 }, (_, i) => `21255504${String(i).padStart(2, "0")}`);
      const loop = await start(startLoop, {
        // Unanswered calls: each lead is dialed to its daily max.
        outcomeByPhone: Object.fromEntries(phones.map((phone) => [`+1${phone}`, "no_answer"])),
        faults: {
          serverErrorBeforePlacing: { probability: 0.15 },
          serverErrorAfterPlacing: { probability: 0.15 },
          timeoutBeforePlacing: { probability: 0.1, hangMs: 1500 },
          timeoutAfterPlacing: { probability: 0.1, hangMs: 1500 },
          webhookMissing: { probability: 0.3 },
          readServerError: { probability: 0.2 },
        },
      });
      const leadIds = await Promise.all(phones.map((phone) => addLead(loop, phone)));
      const db = loop.runtime.ctx.db;
      await waitFor(
        async () => {
          const { rows } = await sql<{ n: number }>`
            SELECT count(*)::int AS n FROM leads WHERE id = ANY(${leadIds}) AND status = 'daily_max_reached'`.execute(
            db,
          );
          return rows[0]?.n === leadIds.length;
        },
        "every lead at its daily max (3 calls placed each)",
        90_000,
        {
          explain: async () =>
            JSON.stringify({
              leads: await db
                .selectFrom("leads as l")
                .leftJoin("call_attempts as a", "a.lead_id", "l.id")
                .select([
                  "l.id",
                  "l.status",
                  "l.next_attempt_at",
                  "l.waiting_reason",
                  "a.state",
                  "a.bland_call_id",
                ])
                .where("l.id", "in", leadIds)
                .execute(),
              faults: loop.simulator.state.faultsFired,
            }),
        },
      );
      await loop.waitFor(
        async () => (await slotsHeld(loop)) === loop.simulator.state.inProgress,
        "slots held equal to the calls Bland has live",
      );
      expect(await slotsHeld(loop)).toBe(0);
      // Every call Bland placed is one attempt's, and no attempt given back has one.
      const attempts = await db
        .selectFrom("call_attempts")
        .select(["id", "state", "bland_call_id"])
        .where("lead_id", "in", leadIds)
        .execute();
      const calls = (await Promise.all(phones.map((phone) => blandCallsTo(loop, `+1${phone}`)))).flat();
      const byAttempt = new Map(attempts.map((a) => [a.id, a]));
      const callAttempts = calls.map((call) => Number(call.metadata?.attempt_id));
      expect(new Set(callAttempts).size).toBe(calls.length);
      for (const call of calls) {
        const attempt = byAttempt.get(Number(call.metadata?.attempt_id));
        expect(attempt?.state).toBe("ended");
        expect(attempt?.bland_call_id).toBe(call.call_id);
      }
      const placed = attempts.filter((a) => a.state !== "not_placed");
      expect(placed).toHaveLength(calls.length);
      expect(calls).toHaveLength(3 * leadIds.length);
      const stats = await loop.api.inject({
        method: "GET",
        url: "/api/admin/statistics/today",
        headers: { "x-api-key": API_KEY },
      });
      expect((stats.json() as { total_calls: number }).total_calls).toBe(calls.length);
      expect(loop.simulator.state.violations.counts.min_gap).toBe(0);
    },
    120_000,
  );
});
