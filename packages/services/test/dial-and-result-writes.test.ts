import type { TestDatabase } from "@redial/db/testing";
import type { BlandCall } from "@redial/domain";
import type { PgBoss } from "@redial/jobs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DialDependencies,
  dialLead,
  ensureDialSlots,
  finishPendingBlandEvents,
  intakeLead,
  pauseLead,
  type RedialContext,
  type Runtime,
  receiveBlandWebhook,
} from "../src/index.ts";
import { startTestRuntime } from "../src/testing/test-runtime.ts";

/**
 * The dial loop's writes (a dial, a call's result) as they leave the rows, under both guards:
 * read without a lock and written only if nothing changed since (optimistic, the default), or in a
 * transaction that locks the lead first. The same statements run either way; a lead changed
 * between the read and the write is decided again under the lock.
 */

let database: TestDatabase;
let runtime: Runtime;
beforeAll(async () => {
  ({ database, runtime } = await startTestRuntime({ syncToConvoso: true }));
  await ensureDialSlots(runtime.ctx.db, 5);
});
afterAll(async () => {
  await runtime.stop();
  await database.drop();
});

const deps = (maxConcurrent = 5): DialDependencies => ({
  dialer: {
    place: async ({ attemptId }) => ({ callId: `w-${attemptId}` }),
    findPlacedCall: async () => undefined,
    getCall: async () => undefined,
    classify: (error) => ({ kind: "ambiguous", message: String(error) }),
  },
  limits: { maxConcurrent, maxPerHour: null, maxPerDay: null },
});

// Wednesday 2026-12-02, 12:00 Eastern.
const T0 = Date.parse("2026-12-02T17:00:00Z");
const clock = (minutes: number) => () => new Date(T0 + minutes * 60_000);

/** A pg-boss no call may reach: the loop's job rows are written by its statements alone. */
const noBoss = new Proxy({} as PgBoss, {
  get(_target, property) {
    throw new Error(`pg-boss was used (${String(property)}) by the dial loop's writes`);
  },
});
const GUARDS = { optimistic: true, locked: false } as const;
type Guard = keyof typeof GUARDS;
const at = (minutes: number, guard: Guard = "optimistic"): RedialContext => ({
  ...runtime.ctx,
  optimisticWrites: GUARDS[guard],
  boss: noBoss,
  now: clock(minutes),
});

/** `ctx` whose first calendar read (between the unlocked read and the write) runs `meanwhile`. */
function changingMeanwhile(ctx: RedialContext, meanwhile: () => Promise<unknown>): RedialContext {
  let ran = false;
  return {
    ...ctx,
    calendar: {
      async get() {
        if (!ran) {
          ran = true;
          await meanwhile();
        }
        return ctx.calendar.get();
      },
    },
  };
}

const voicemail = (attemptId: number): BlandCall => ({
  call_id: `w-${attemptId}`,
  completed: true,
  status: "completed",
  answered_by: "voicemail",
  call_length: 31,
  price: 0.09,
  metadata: { attempt_id: attemptId },
});

async function leadRow(leadId: number) {
  return runtime.ctx.db.selectFrom("leads").selectAll().where("id", "=", leadId).executeTakeFirstOrThrow();
}

async function attemptRows(leadId: number) {
  return runtime.ctx.db
    .selectFrom("call_attempts")
    .selectAll()
    .where("lead_id", "=", leadId)
    .orderBy("id")
    .execute();
}

/** The lead's queued dial jobs: their payload, and in how many seconds each is due (database clock). */
async function dialJobs(leadId: number) {
  const { rows } = await sql<{ due_in: number; data: unknown }>`
    SELECT round(extract(epoch FROM start_after - now()))::int AS due_in, data FROM pgboss.job
    WHERE name = 'dial' AND singleton_key = ${String(leadId)} AND state < 'active'`.execute(runtime.ctx.db);
  return rows;
}

async function convosoSyncJobs(leadId: number) {
  const { rows } = await sql<{ data: Record<string, unknown> }>`
    SELECT data FROM pgboss.job WHERE name = 'convoso-sync' AND (data ->> 'leadId')::bigint = ${leadId}
    ORDER BY created_on`.execute(runtime.ctx.db);
  return rows.map((row) => row.data);
}

async function events(callIds: string[]) {
  return runtime.ctx.db
    .selectFrom("webhook_events")
    .select(["result", "error", "delivery_count"])
    .select((eb) => eb("processed_at", "is not", null).as("processed"))
    .where("call_id", "in", callIds)
    .orderBy("id")
    .execute();
}

async function openAttemptId(leadId: number): Promise<number> {
  const row = await runtime.ctx.db
    .selectFrom("call_attempts")
    .select("id")
    .where("lead_id", "=", leadId)
    .where("state", "in", ["dialing", "in_progress"])
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** As a worker sees it: the lead's job is the one running the dial, then done. */
async function runningDialJob(leadId: number, state: "active" | "completed"): Promise<void> {
  await sql`UPDATE pgboss.job SET state = ${state}, started_on = now()
            WHERE name = 'dial' AND singleton_key = ${String(leadId)}
              AND state ${state === "active" ? sql`< 'active'` : sql`= 'active'`}`.execute(runtime.ctx.db);
}

describe("a dial and a call's result, written under either guard", () => {
  it.each([
    { guard: "optimistic" as const, phone: "2125550901" },
    { guard: "locked" as const, phone: "2125550902" },
  ])(
    "New York, round after round to the daily max ($guard): the attempt, the lead, its one job, the sync job, the event",
    async ({ guard, phone }) => {
      const { lead } = await intakeLead(at(0), { phone, state: "NY", zip: "10001" });
      let minute = 0;
      for (let round = 0; round < 8; round++) {
        if (round > 0) await runningDialJob(lead.id, "active");
        expect(await dialLead(at(minute, guard), deps(), lead.id)).toBe("placed");
        await runningDialJob(lead.id, "completed");
        const attemptId = await openAttemptId(lead.id);
        expect(await leadRow(lead.id)).toMatchObject({
          status: "active",
          attempts_total: round + 1,
          // Asked about at Bland at the expected call's end (2 minutes, the floor), not the 32-minute deadline.
          next_attempt_at: new Date(T0 + (minute + 2) * 60_000),
          waiting_reason: "call_in_progress: waiting for the call's result",
        });
        expect(await receiveBlandWebhook(at(minute + 1, guard), voicemail(attemptId))).toMatchObject({
          status: "processed",
          outcome: "VOICEMAIL",
          attemptId,
        });
        const row = await leadRow(lead.id);
        expect(row).toMatchObject({
          status: round < 7 ? "active" : "daily_max_reached",
          last_outcome: "VOICEMAIL",
        });
        expect((await attemptRows(lead.id)).at(-1)).toMatchObject({
          state: "ended",
          outcome: "VOICEMAIL",
          bland_call_id: `w-${attemptId}`,
          answered_by: "voicemail",
          ended_at: new Date(T0 + (minute + 1) * 60_000),
          result_source: "webhook",
          webhook_received_at: new Date(T0 + (minute + 1) * 60_000),
        });
        // One queued job, due when the lead says (its delay counted from the result's now).
        const jobs = await dialJobs(lead.id);
        expect(jobs.map((job) => job.data)).toEqual([{ leadId: lead.id }]);
        const dueIn = ((row.next_attempt_at?.getTime() ?? 0) - (T0 + (minute + 1) * 60_000)) / 1000;
        expect(Math.abs((jobs[0]?.due_in ?? -1) - dueIn)).toBeLessThanOrEqual(1);
        expect(await convosoSyncJobs(lead.id)).toHaveLength(round + 1);
        expect((await convosoSyncJobs(lead.id)).at(-1)).toEqual({
          leadId: lead.id,
          attemptId,
          outcome: "VOICEMAIL",
          dnc: false,
        });
        const due = row.next_attempt_at;
        if (!due) throw new Error("the lead has no next attempt");
        minute = (due.getTime() - T0) / 60_000;
      }
      const calls = (await attemptRows(lead.id)).map((a) => a.bland_call_id ?? "");
      expect(await events(calls)).toEqual(
        Array.from({ length: 8 }, () => ({
          result: "processed",
          error: null,
          delivery_count: 1,
          processed: true,
        })),
      );
    },
  );

  it("a lead put on the DNC list between the read and the write is not dialed: decided again under the lock, completed", async () => {
    const { lead } = await intakeLead(at(0), { phone: "3055550903", state: "FL", zip: "33130" });
    const ctx = changingMeanwhile({ ...at(0), boss: runtime.ctx.boss }, () =>
      sql`INSERT INTO dnc_phones (phone, reason, source) VALUES (${lead.phone}, 'test', 'import')`.execute(
        runtime.ctx.db,
      ),
    );
    expect(await dialLead(ctx, deps(), lead.id)).toBe("dnc");
    expect(await attemptRows(lead.id)).toEqual([]);
    expect(await leadRow(lead.id)).toMatchObject({ status: "completed", final_outcome: "DNC" });
    expect(await dialJobs(lead.id)).toEqual([]);
  });

  it("a lead paused between the read and the write is not dialed", async () => {
    const { lead } = await intakeLead(at(0), { phone: "3055550904", state: "FL", zip: "33130" });
    const ctx = changingMeanwhile(at(0), () => pauseLead({ ...runtime.ctx, now: clock(0) }, lead.id));
    expect(await dialLead(ctx, deps(), lead.id)).toBe("lead_not_dialable");
    expect(await attemptRows(lead.id)).toEqual([]);
    expect(await leadRow(lead.id)).toMatchObject({ status: "paused" });
    expect(await dialJobs(lead.id)).toEqual([]);
  });

  it("a result whose lead was paused meanwhile is recorded under the lock: the lead stays paused with no job", async () => {
    const { lead } = await intakeLead(at(0), { phone: "3055550905", state: "FL", zip: "33130" });
    expect(await dialLead(at(0), deps(), lead.id)).toBe("placed");
    const attemptId = await openAttemptId(lead.id);
    const ctx = changingMeanwhile(at(1), () => pauseLead({ ...runtime.ctx, now: clock(1) }, lead.id));
    expect(await receiveBlandWebhook(ctx, voicemail(attemptId))).toMatchObject({
      status: "processed",
      outcome: "VOICEMAIL",
    });
    expect(await attemptRows(lead.id)).toMatchObject([{ state: "ended", outcome: "VOICEMAIL" }]);
    expect(await leadRow(lead.id)).toMatchObject({ status: "paused", last_outcome: "VOICEMAIL" });
    expect(await dialJobs(lead.id)).toEqual([]);
    expect(await events([`w-${attemptId}`])).toEqual([
      { result: "processed", error: null, delivery_count: 1, processed: true },
    ]);
  });

  it("a second result for the same call (other bytes) is stored and answered duplicate; nothing changes", async () => {
    const { lead } = await intakeLead(at(0), { phone: "3055550906", state: "FL", zip: "33130" });
    expect(await dialLead(at(0), deps(), lead.id)).toBe("placed");
    const attemptId = await openAttemptId(lead.id);
    await receiveBlandWebhook(at(1), voicemail(attemptId));
    const before = {
      lead: await leadRow(lead.id),
      attempts: await attemptRows(lead.id),
      jobs: await dialJobs(lead.id),
    };
    const again = await receiveBlandWebhook(at(2), {
      ...voicemail(attemptId),
      answered_by: "human",
      call_length: 300,
    });
    expect(again).toMatchObject({ status: "duplicate", outcome: "VOICEMAIL" });
    expect({
      lead: await leadRow(lead.id),
      attempts: await attemptRows(lead.id),
      jobs: await dialJobs(lead.id),
    }).toEqual(before);
    expect((await events([`w-${attemptId}`])).map((e) => e.result)).toEqual(["processed", "duplicate"]);
  });

  it("over DIAL_MAX_CONCURRENT the whole dial is undone: no attempt, the lead told why it waits, its job kept", async () => {
    const busy = await intakeLead(at(0), { phone: "3055550907", state: "FL", zip: "33130" });
    const held = await intakeLead(at(0), { phone: "3055550908", state: "FL", zip: "33130" });
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM dial_slots WHERE attempt_id IS NOT NULL`.execute(runtime.ctx.db);
    const inProgress = rows[0]?.n ?? 0;
    expect(await dialLead(at(0), deps(inProgress + 1), busy.lead.id)).toBe("placed");
    expect(await dialLead(at(0), deps(inProgress + 1), held.lead.id)).toBe("fleet_limit");
    expect(await attemptRows(held.lead.id)).toEqual([]);
    const lead = await leadRow(held.lead.id);
    expect(lead).toMatchObject({
      status: "active",
      attempts_total: 0,
      next_attempt_at: new Date(T0 + 2_000),
    });
    expect(lead.waiting_reason).toMatch(/DIAL_MAX_CONCURRENT/);
    expect(await dialJobs(held.lead.id)).toHaveLength(1);
  });

  it("an event left pending (its API died while applying it) is applied from its stored body by the minute sweep", async () => {
    const { lead } = await intakeLead(at(0), { phone: "3055550909", state: "FL", zip: "33130" });
    expect(await dialLead(at(0), deps(), lead.id)).toBe("placed");
    const attemptId = await openAttemptId(lead.id);
    await sql`INSERT INTO webhook_events (source, call_id, body, received_at)
              VALUES ('bland', ${`w-${attemptId}`}, ${JSON.stringify(voicemail(attemptId))}::jsonb, now() - interval '6 minutes')`.execute(
      runtime.ctx.db,
    );
    expect(await finishPendingBlandEvents({ ...at(7), boss: runtime.ctx.boss })).toBe(1);
    expect(await attemptRows(lead.id)).toMatchObject([{ state: "ended", outcome: "VOICEMAIL" }]);
    expect(await events([`w-${attemptId}`])).toEqual([
      { result: "processed", error: null, delivery_count: 1, processed: true },
    ]);
    expect(await finishPendingBlandEvents({ ...at(8), boss: runtime.ctx.boss })).toBe(0);
  });

  it("the sweep applies a backlog in batches until none is left, in one run", async () => {
    const callIds: string[] = [];
    const leadIds: number[] = [];
    for (const phone of ["3055550911", "3055550912", "3055550913"]) {
      const { lead } = await intakeLead(at(0), { phone, state: "FL", zip: "33130" });
      expect(await dialLead(at(0), deps(), lead.id)).toBe("placed");
      const attemptId = await openAttemptId(lead.id);
      await sql`INSERT INTO webhook_events (source, call_id, body, received_at)
                VALUES ('bland', ${`w-${attemptId}`}, ${JSON.stringify(voicemail(attemptId))}::jsonb, now() - interval '6 minutes')`.execute(
        runtime.ctx.db,
      );
      callIds.push(`w-${attemptId}`);
      leadIds.push(lead.id);
    }
    // Two a batch: three pending events take two batches of the same run.
    expect(await finishPendingBlandEvents({ ...at(7), boss: runtime.ctx.boss }, { batch: 2 })).toBe(3);
    for (const leadId of leadIds)
      expect(await attemptRows(leadId)).toMatchObject([{ state: "ended", outcome: "VOICEMAIL" }]);
    expect((await events(callIds)).map((event) => event.result)).toEqual([
      "processed",
      "processed",
      "processed",
    ]);
    expect(await finishPendingBlandEvents({ ...at(8), boss: runtime.ctx.boss }, { batch: 2 })).toBe(0);
  });
});
