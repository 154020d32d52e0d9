import { API_KEY, type Loop } from "@redial/testing";
import { loopTest } from "@redial/testing/fixtures";
import { sql } from "kysely";
import { describe, expect } from "vitest";

async function addLead(current: Loop, phone: string, extra: Record<string, unknown> = {}) {
  const response = await current.api.inject({
    method: "POST",
    url: "/v1/leads",
    headers: { "x-api-key": API_KEY },
    payload: { phone, state: "NY", zip: "10001", ...extra },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as {
    id: number;
    status: string;
    next_attempt_at: string | null;
    timezones: string[];
  };
}

async function attemptsOf(current: Loop, leadId: number) {
  return current.runtime.ctx.db
    .selectFrom("call_attempts")
    .selectAll()
    .where("lead_id", "=", leadId)
    .orderBy("attempt_number")
    .execute();
}

async function leadRow(current: Loop, leadId: number) {
  return current.runtime.ctx.db
    .selectFrom("leads")
    .selectAll()
    .where("id", "=", leadId)
    .executeTakeFirstOrThrow();
}

async function queuedDialJobs(current: Loop, leadId: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pgboss.job
    WHERE name = 'dial' AND singleton_key = ${String(leadId)} AND state IN ('created', 'retry', 'active')`.execute(
    current.runtime.ctx.db,
  );
  return rows[0]?.n ?? 0;
}

describe("the dial loop (simulator, API, worker, PostgreSQL)", () => {
  loopTest(
    "a NO_ANSWER lead is redialed on the interval until its daily max, then waits for the next day",
    async ({ startLoop }) => {
      const loop = await startLoop({ simulator: { outcomeByPhone: { "+12125550101": "no_answer" } } });
      const lead = await addLead(loop, "(212) 555-0101");
      expect(lead.timezones).toEqual(["America/New_York"]);
      const current = loop;
      await current.waitFor(
        async () => (await leadRow(current, lead.id)).status === "daily_max_reached",
        "the daily max",
      );
      const attempts = await attemptsOf(current, lead.id);
      expect(attempts.map((a) => [a.state, a.outcome, a.result_source])).toEqual([
        ["ended", "NO_ANSWER", "webhook"],
        ["ended", "NO_ANSWER", "webhook"],
        ["ended", "NO_ANSWER", "webhook"],
      ]);
      // Each call started only after the previous one ended, and at least the interval later.
      for (let i = 1; i < attempts.length; i++) {
        const previous = attempts[i - 1]!;
        expect(attempts[i]!.dialed_at.getTime()).toBeGreaterThanOrEqual(
          previous.ended_at!.getTime() + 0.01 * 60_000 - 5,
        );
      }
      expect(current.simulator.state.placed).toBe(3);
      expect(attempts.map((a) => a.attempt_number)).toEqual([1, 2, 3]);
      const row = await leadRow(current, lead.id);
      expect(row.waiting_reason).toMatch(/^daily_max_reached/);
      expect(row).toMatchObject({ attempts_total: 3, last_outcome: "NO_ANSWER" });
      expect(await queuedDialJobs(current, lead.id)).toBe(1);
    },
  );

  loopTest("a SALE ends redialing at once and removes the lead's pending job", async ({ startLoop }) => {
    const loop = await startLoop({ simulator: { outcomeByPhone: { "+12125550102": "sale" } } });
    const lead = await addLead(loop, "+1 212 555 0102");
    const current = loop;
    await current.waitFor(async () => (await leadRow(current, lead.id)).status === "completed", "completion");
    const row = await leadRow(current, lead.id);
    expect(row.final_outcome).toBe("SALE");
    expect(await queuedDialJobs(current, lead.id)).toBe(0);
    expect(current.simulator.state.placed).toBe(1);
  });

  loopTest(
    "a DNC opt-out completes the lead, puts the phone on our DNC list, and refuses it at intake",
    async ({ startLoop }) => {
      const loop = await startLoop({ simulator: { outcomeByPhone: { "+12125550103": "dnc" } } });
      const lead = await addLead(loop, "212-555-0103");
      const current = loop;
      await current.waitFor(
        async () => (await leadRow(current, lead.id)).status === "completed",
        "completion",
      );
      expect((await leadRow(current, lead.id)).final_outcome).toBe("DNC");
      const again = await current.api.inject({
        method: "POST",
        url: "/v1/leads",
        headers: { "x-api-key": API_KEY },
        payload: { phone: "2125550103" },
      });
      // The DNC list wins over idempotent intake: the phone is refused, never re-admitted.
      expect(again.statusCode).toBe(409);
      const refused = await current.api.inject({
        method: "POST",
        url: "/v1/dnc",
        headers: { "x-api-key": API_KEY },
        payload: { phone: "2125550199" },
      });
      expect(refused.statusCode).toBe(200);
      const blocked = await current.api.inject({
        method: "POST",
        url: "/v1/leads",
        headers: { "x-api-key": API_KEY },
        payload: { phone: "2125550199" },
      });
      expect(blocked.statusCode).toBe(409);
      expect(blocked.json().error.code).toBe("phone_on_dnc");
    },
  );

  loopTest(
    "a call whose webhook never comes is reconciled from GET /v1/calls/:id and the lead goes on",
    async ({ startLoop }) => {
      const loop = await startLoop({
        simulator: {
          outcomeByPhone: { "+12125550104": "voicemail" },
          faults: { webhookMissing: { next: 1 } },
        },
      });
      const lead = await addLead(loop, "2125550104");
      const current = loop;
      await current.waitFor(
        async () => (await attemptsOf(current, lead.id)).filter((a) => a.state === "ended").length >= 2,
        "two results",
      );
      const attempts = await attemptsOf(current, lead.id);
      expect(attempts[0]?.result_source).toBe("reconcile");
      expect(attempts[0]?.outcome).toBe("VOICEMAIL");
      expect(attempts[1]?.result_source).toBe("webhook");
    },
  );

  loopTest(
    "a 5xx after Bland placed the call is reconciled, never retried: one call per attempt",
    async ({ startLoop }) => {
      const loop = await startLoop({
        simulator: {
          outcomeByPhone: { "+12125550105": "busy" },
          faults: { serverErrorAfterPlacing: { next: 1 } },
        },
        env: { REDIAL_MAX_PER_DAY: "2" },
      });
      const lead = await addLead(loop, "2125550105");
      const current = loop;
      await current.waitFor(
        async () => (await leadRow(current, lead.id)).status === "daily_max_reached",
        "the daily max",
      );
      const attempts = await attemptsOf(current, lead.id);
      expect(attempts).toHaveLength(2);
      expect(attempts.every((a) => a.bland_call_id !== null && a.state === "ended")).toBe(true);
      expect(current.simulator.state.placed).toBe(2);
    },
  );

  loopTest("429s are retried with backoff and place exactly one call", async ({ startLoop }) => {
    const loop = await startLoop({
      simulator: {
        outcomeByPhone: { "+12125550106": "sale" },
        faults: { rateLimit: { next: 2, retryAfterSeconds: 0.1 } },
      },
    });
    const lead = await addLead(loop, "2125550106");
    const current = loop;
    await current.waitFor(async () => (await leadRow(current, lead.id)).status === "completed", "completion");
    expect(current.simulator.state.placed).toBe(1);
    expect(await attemptsOf(current, lead.id)).toHaveLength(1);
  });

  loopTest(
    "a duplicated webhook (the same signed bytes again) is counted on its first event, answered 200, and changes nothing",
    async ({ startLoop }) => {
      const loop = await startLoop({
        simulator: {
          outcomeByPhone: { "+12125550107": "sale" },
          faults: { webhookDuplicate: { next: 1, delayMs: 50 } },
        },
      });
      const lead = await addLead(loop, "2125550107");
      const current = loop;
      await current.waitFor(async () => {
        const { rows } = await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM webhook_events WHERE delivery_count >= 2`.execute(
          current.runtime.ctx.db,
        );
        return (rows[0]?.n ?? 0) >= 1;
      }, "the duplicate webhook");
      const { rows: events } = await sql<{ result: string | null; delivery_count: number }>`
      SELECT result, delivery_count FROM webhook_events WHERE source = 'bland'`.execute(
        current.runtime.ctx.db,
      );
      expect(events).toEqual([{ result: "processed", delivery_count: 2 }]);
      expect(await attemptsOf(current, lead.id)).toHaveLength(1);
      expect((await leadRow(current, lead.id)).final_outcome).toBe("SALE");
    },
  );

  loopTest(
    "two workers never dial one lead twice at once, nor faster than the minimum gap",
    async ({ startLoop }) => {
      const loop = await startLoop({
        workers: 2,
        env: { REDIAL_MAX_PER_DAY: "3" },
        simulator: { outcomeWeights: { no_answer: 1, voicemail: 1, busy: 1 } },
      });
      const current = loop;
      const leads = [];
      for (let i = 0; i < 20; i++)
        leads.push(await addLead(current, `21255502${String(i).padStart(2, "0")}`));
      await current.waitFor(
        async () => {
          const { rows } = await sql<{
            n: number;
          }>`SELECT count(*)::int AS n FROM leads WHERE status = 'daily_max_reached'`.execute(
            current.runtime.ctx.db,
          );
          return rows[0]?.n === leads.length;
        },
        "every lead at its daily max",
        40_000,
      );
      const { rows } = await sql<{ overlaps: number; over_cap: number }>`
      SELECT
        (SELECT count(*)::int FROM call_attempts a JOIN call_attempts b
           ON a.lead_id = b.lead_id AND a.id < b.id AND b.dialed_at < a.ended_at) AS overlaps,
        (SELECT count(*)::int FROM (SELECT lead_id FROM call_attempts GROUP BY lead_id HAVING count(*) > 3) x) AS over_cap`.execute(
        current.runtime.ctx.db,
      );
      expect(rows[0]).toEqual({ overlaps: 0, over_cap: 0 });
      expect(current.simulator.state.placed).toBe(60);
      // The simulator watches from Bland's side: no call to one number within the minimum gap.
      const stats = await fetch(`${current.simulator.url}/_sim/stats`).then(
        (r) => r.json() as Promise<{ violations: { total: number } }>,
      );
      expect(stats.violations.total).toBe(0);
    },
  );
});

describe("outcome sync to Convoso (durable queue)", () => {
  loopTest(
    "a VOICEMAIL sets the Convoso lead's status to A; a DNC sets DNC and adds the phone to Convoso's DNC list",
    async ({ startLoop }) => {
      const loop = await startLoop({
        simulator: { outcomeByPhone: { "+12125550401": "voicemail", "+12125550402": "dnc" } },
        env: { REDIAL_MAX_PER_DAY: "1" },
      });
      const current = loop;
      const [voicemail, dnc] = ["2125550401", "2125550402"].map((phone) =>
        current.simulator.state.convoso.insertLead({ phone_number: phone, list_id: "10" }),
      );
      await addLead(current, "2125550401", { convoso_lead_id: voicemail!.id });
      await addLead(current, "2125550402", { convoso_lead_id: dnc!.id });
      await current.waitFor(
        async () =>
          current.simulator.state.convoso.findLead(voicemail!.id)?.status === "A" &&
          current.simulator.state.convoso.findLead(dnc!.id)?.status === "DNC",
        "both statuses in Convoso",
      );
      expect(current.simulator.state.convoso.findDnc("2125550402", "0")).toBeDefined();
      expect(current.simulator.state.convoso.findDnc("2125550401", "0")).toBeUndefined();
    },
  );

  loopTest(
    "a spoken opt-out (only the transcript says it) completes the lead DNC, is never dialed again, and reaches Convoso's DNC list",
    async ({ startLoop }) => {
      const loop = await startLoop({ simulator: { outcomeByPhone: { "+12125550404": "dnc_spoken" } } });
      const current = loop;
      const convosoLead = current.simulator.state.convoso.insertLead({
        phone_number: "2125550404",
        list_id: "10",
      });
      const lead = await addLead(current, "2125550404", { convoso_lead_id: convosoLead.id });
      // The sync job inserts the DNC, then sets the lead's status: wait for both.
      await current.waitFor(
        async () =>
          current.simulator.state.convoso.findDnc("2125550404", "0") !== undefined &&
          current.simulator.state.convoso.findLead(convosoLead.id)?.status === "DNC",
        "the DNC insert and the DNC status in Convoso",
      );
      const row = await leadRow(current, lead.id);
      expect(row).toMatchObject({ status: "completed", final_outcome: "DNC", next_attempt_at: null });
      const [attempt] = await attemptsOf(current, lead.id);
      expect(attempt).toMatchObject({ outcome: "DNC", outcome_reason: 'transcript: "Stop calling me"' });
      expect(current.simulator.state.convoso.findLead(convosoLead.id)?.status).toBe("DNC");
      expect(await queuedDialJobs(current, lead.id)).toBe(0);
      expect(current.simulator.state.placed).toBe(1);
    },
  );

  loopTest(
    "Convoso failing does not stop redialing: the sync job waits for its retries, the lead is dialed on",
    async ({ startLoop }) => {
      const loop = await startLoop({
        simulator: {
          outcomeByPhone: { "+12125550403": "no_answer" },
          faults: { convosoServerError: { probability: 1 } },
        },
      });
      const current = loop;
      const lead = await addLead(current, "2125550403");
      await current.waitFor(
        async () => (await leadRow(current, lead.id)).status === "daily_max_reached",
        "the daily max despite Convoso",
      );
      const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'convoso-sync' AND state IN ('created', 'retry', 'active', 'failed')`.execute(
        current.runtime.ctx.db,
      );
      expect(rows[0]?.n).toBe(3);
    },
  );
});

describe("outcomes that park a lead", () => {
  loopTest(
    "a number not in service (FAILED) is not dialed again for BAD_NUMBER_COOLDOWN_DAYS (15)",
    async ({ startLoop }) => {
      const loop = await startLoop({
        simulator: { outcomeByPhone: { "+12125550501": "failed_bad_number" } },
      });
      const current = loop;
      const lead = await addLead(current, "2125550501");
      await current.waitFor(
        async () => (await leadRow(current, lead.id)).last_outcome === "FAILED",
        "the failed call",
      );
      const row = await leadRow(current, lead.id);
      const [attempt] = await attemptsOf(current, lead.id);
      expect(row.waiting_reason).toMatch(/^bad_number/);
      expect(row.bad_number_until!.getTime() - attempt!.ended_at!.getTime()).toBe(15 * 86_400_000);
      expect(row.next_attempt_at!.getTime()).toBeGreaterThanOrEqual(row.bad_number_until!.getTime());
      expect(row.status).toBe("active");
      expect(await queuedDialJobs(current, lead.id)).toBe(1);
    },
  );

  loopTest(
    "a requested callback is the next call's time (or the first legal instant after it)",
    async ({ startLoop }) => {
      const loop = await startLoop({ simulator: { outcomeByPhone: { "+12125550502": "callback" } } });
      const current = loop;
      const lead = await addLead(current, "2125550502");
      await current.waitFor(
        async () => (await leadRow(current, lead.id)).last_outcome === "CALLBACK",
        "the callback call",
      );
      const row = await leadRow(current, lead.id);
      expect(row.callback_at).not.toBeNull();
      expect(row.next_attempt_at!.getTime()).toBeGreaterThanOrEqual(row.callback_at!.getTime());
      expect(row.waiting_reason).toMatch(/^(callback|outside_window)/);
      expect(await attemptsOf(current, lead.id)).toHaveLength(1);
    },
  );
});

describe("fleet limits (counted in PostgreSQL, whatever the number of workers)", () => {
  loopTest(
    "DIAL_MAX_CONCURRENT=1 across two workers: Bland never sees two calls at once",
    async ({ startLoop }) => {
      const loop = await startLoop({
        workers: 2,
        env: { DIAL_MAX_CONCURRENT: "1", REDIAL_MAX_PER_DAY: "1" },
        simulator: { outcomeWeights: { no_answer: 1 }, caps: { concurrent: 1, enforce: false } },
      });
      const current = loop;
      for (let i = 0; i < 6; i++) await addLead(current, `21255506${String(i).padStart(2, "0")}`);
      // Held-back leads retry every 2 s: six one-at-a-time calls take a while on a loaded machine.
      await current.waitFor(async () => current.simulator.state.completed === 6, "six calls", 80_000);
      const stats = await fetch(`${current.simulator.url}/_sim/stats`).then(
        (r) => r.json() as Promise<{ violations: { total: number } }>,
      );
      expect(stats.violations.total).toBe(0);
    },
    100_000,
  );

  loopTest("DIAL_MAX_PER_HOUR=3: the fourth lead waits, saying why", async ({ startLoop }) => {
    const loop = await startLoop({
      env: { DIAL_MAX_PER_HOUR: "3", REDIAL_MAX_PER_DAY: "1" },
      simulator: { outcomeWeights: { no_answer: 1 } },
    });
    const current = loop;
    const leads = [];
    for (let i = 0; i < 4; i++) leads.push(await addLead(current, `21255507${String(i).padStart(2, "0")}`));
    await current.waitFor(async () => {
      const { rows } = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM leads WHERE waiting_reason LIKE 'fleet limit%'`.execute(
        current.runtime.ctx.db,
      );
      return current.simulator.state.placed === 3 && rows[0]?.n === 1;
    }, "three calls and one lead held back");
    expect(current.simulator.state.placed).toBe(3);
  });
});

describe("CONVOSO_PREDIAL_CHECK", () => {
  loopTest(
    "a lead a closer already sold in Convoso is completed just before its dial, without a call",
    async ({ startLoop }) => {
      const loop = await startLoop({ env: { CONVOSO_PREDIAL_CHECK: "true" } });
      const current = loop;
      current.simulator.state.convoso.insertLead({
        phone_number: "2125550801",
        list_id: "10",
        status: "SALE",
      });
      const lead = await addLead(current, "2125550801");
      await current.waitFor(
        async () => (await leadRow(current, lead.id)).status === "completed",
        "completion from Convoso",
      );
      expect((await leadRow(current, lead.id)).final_outcome).toBe("SALE");
      expect(current.simulator.state.placed).toBe(0);
      expect(await attemptsOf(current, lead.id)).toHaveLength(0);
    },
  );
  loopTest(
    "read with the account's own table: SOLD (an S/SOLD account) completes the lead, WRONG parks it, neither is called",
    async ({ startLoop }) => {
      const loop = await startLoop({
        env: { CONVOSO_PREDIAL_CHECK: "true" },
        simulator: { convoso: { account: "sold" } },
      });
      const current = loop;
      current.simulator.state.convoso.insertLead({
        phone_number: "2125550802",
        list_id: "10",
        status: "SOLD",
      });
      current.simulator.state.convoso.insertLead({
        phone_number: "2125550803",
        list_id: "10",
        status: "WRONG",
      });
      const sold = await addLead(current, "2125550802");
      const wrong = await addLead(current, "2125550803");
      await current.waitFor(
        async () =>
          (await leadRow(current, sold.id)).status === "completed" &&
          (await leadRow(current, wrong.id)).bad_number_until !== null,
        "SOLD completed and WRONG parked",
      );
      expect((await leadRow(current, sold.id)).final_outcome).toBe("SALE");
      const parked = await leadRow(current, wrong.id);
      expect(parked).toMatchObject({ status: "active", final_outcome: null, last_outcome: "FAILED" });
      expect(parked.next_attempt_at?.getTime()).toBeGreaterThanOrEqual(
        parked.bad_number_until?.getTime() ?? 0,
      );
      expect(current.simulator.state.placed).toBe(0);
    },
  );
});
