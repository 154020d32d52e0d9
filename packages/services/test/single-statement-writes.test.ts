import type { TestDatabase } from "@redial/db/testing";
import type { PgBoss } from "@redial/jobs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BlandCallObject,
  type DialDependencies,
  dialLead,
  ensureDialSlots,
  intakeLead,
  pauseLead,
  type RedialContext,
  type Runtime,
  receiveBlandWebhook,
} from "../src/index.ts";
import { startTestRuntime } from "../src/testing/test-runtime.ts";

/**
 * Migration 0010's one-statement dial and result writes against the locked transactions they
 * stand in for: twin leads taken through both paths must leave the same rows (leads, attempts,
 * pg-boss jobs, webhook events), and a lead changed between the read and the write must be
 * written by the locked path, never by the statement.
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
    place: async ({ attemptId }) => ({ callId: `one-${attemptId}` }),
    findPlacedCall: async () => undefined,
    getCall: async () => undefined,
    classify: (error) => ({ kind: "ambiguous", message: String(error) }),
  },
  limits: { maxConcurrent, maxPerHour: null, maxPerDay: null },
});

// Wednesday 2026-12-02, 12:00 Eastern.
const T0 = Date.parse("2026-12-02T17:00:00Z");
const clock = (minutes: number) => () => new Date(T0 + minutes * 60_000);

/** The locked transactions only. */
const locked = (minutes: number): RedialContext => ({
  ...runtime.ctx,
  singleStatementWrites: false,
  now: clock(minutes),
});

/** A pg-boss no call may reach: what runs with it wrote through migration 0010's statements alone. */
const noBoss = new Proxy({} as PgBoss, {
  get(_target, property) {
    throw new Error(`pg-boss was used (${String(property)}) on the one-statement path`);
  },
});
const oneStatement = (minutes: number): RedialContext => ({
  ...runtime.ctx,
  singleStatementWrites: true,
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

const voicemail = (attemptId: number): BlandCallObject => ({
  call_id: `one-${attemptId}`,
  completed: true,
  status: "completed",
  answered_by: "voicemail",
  call_length: 31,
  price: 0.09,
  metadata: { attempt_id: attemptId },
});

async function leadRow(leadId: number) {
  const { id, phone, created_at, updated_at, ...rest } = await runtime.ctx.db
    .selectFrom("leads")
    .selectAll()
    .where("id", "=", leadId)
    .executeTakeFirstOrThrow();
  return rest;
}

async function attemptRows(leadId: number) {
  const rows = await runtime.ctx.db
    .selectFrom("call_attempts")
    .selectAll()
    .where("lead_id", "=", leadId)
    .orderBy("id")
    .execute();
  return rows.map(({ id, lead_id, bland_call_id, created_at, ...rest }) => ({
    ...rest,
    own_call_id: bland_call_id === `one-${id}`,
  }));
}

/**
 * A lead's queued dial jobs as pg-boss wrote them, without what differs by lead or by the instant
 * of the write; `due_in` is start_after against the database's clock now, to the second.
 */
async function dialJobs(leadId: number) {
  const { rows } = await sql<{ job: Record<string, unknown> }>`
    SELECT to_jsonb(j) - ARRAY['id', 'data', 'singleton_key', 'created_on', 'start_after', 'keep_until']
             || jsonb_build_object(
                  'lead_in_data', j.data = jsonb_build_object('leadId', ${leadId}::bigint),
                  'retention', extract(epoch FROM j.keep_until - j.start_after),
                  'due_in', round(extract(epoch FROM j.start_after - now()))) AS job
    FROM pgboss.job j
    WHERE j.name = 'dial' AND j.singleton_key = ${String(leadId)} AND j.state < 'active'
    ORDER BY j.created_on`.execute(runtime.ctx.db);
  return rows.map((row) => row.job);
}

async function convosoSyncJobs(leadId: number) {
  const { rows } = await sql<{ job: Record<string, unknown> }>`
    SELECT to_jsonb(j) - ARRAY['id', 'data', 'created_on', 'start_after', 'keep_until']
             || jsonb_build_object(
                  'data', j.data - 'leadId' - 'attemptId',
                  'retention', extract(epoch FROM j.keep_until - j.start_after)) AS job
    FROM pgboss.job j
    WHERE j.name = 'convoso-sync' AND (j.data ->> 'leadId')::bigint = ${leadId}
    ORDER BY j.created_on`.execute(runtime.ctx.db);
  return rows.map((row) => row.job);
}

async function events(callIds: string[]) {
  return runtime.ctx.db
    .selectFrom("webhook_events")
    .select(["result", "error"])
    .select((eb) => eb("processed_at", "is not", null).as("processed"))
    .where("call_id", "in", callIds)
    .orderBy("id")
    .execute();
}

async function everything(leadId: number) {
  return {
    lead: await leadRow(leadId),
    attempts: await attemptRows(leadId),
    dialJobs: await dialJobs(leadId),
    convosoSync: await convosoSyncJobs(leadId),
  };
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

/** As a worker sees it: the lead's job is the one running the dial (not queued any more). */
async function takeDialJob(leadId: number): Promise<void> {
  await sql`UPDATE pgboss.job SET state = 'active', started_on = now()
            WHERE name = 'dial' AND singleton_key = ${String(leadId)} AND state < 'active'`.execute(
    runtime.ctx.db,
  );
}

/** The worker's dial job done (pg-boss completes it when dialLead returns). */
async function completeDialJob(leadId: number): Promise<void> {
  await sql`UPDATE pgboss.job SET state = 'completed', completed_on = now()
            WHERE name = 'dial' AND singleton_key = ${String(leadId)} AND state = 'active'`.execute(
    runtime.ctx.db,
  );
}

describe("one-statement dial and result writes (migration 0010)", () => {
  it.each([
    // New York has no state cap under the daily max: the eighth result reaches it.
    {
      where: "New York, to the daily max",
      phones: ["2125550901", "2125550902"],
      state: "NY",
      zip: "10001",
      rounds: 8,
      last: "daily_max_reached",
    },
    // Florida allows 3 calls in 24 hours: rounds wait for the rolling cap across days.
    {
      where: "Florida, across its 3-per-24-hours cap",
      phones: ["3055550911", "3055550912"],
      state: "FL",
      zip: "33130",
      rounds: 7,
      last: "active",
    },
  ])(
    "leave the same lead, attempt, job and event rows as the locked transactions, round after round ($where)",
    async (place) => {
      const twin = {
        locked: (
          await intakeLead(locked(0), {
            phone: place.phones[0] as string,
            state: place.state,
            zip: place.zip,
          })
        ).lead.id,
        fast: (
          await intakeLead(locked(0), {
            phone: place.phones[1] as string,
            state: place.state,
            zip: place.zip,
          })
        ).lead.id,
      };
      const ctxOf = { locked, fast: oneStatement };
      const callIds: Record<keyof typeof twin, string[]> = { locked: [], fast: [] };
      // Round 1 moves the intake's queued job; later rounds run as a worker does, its job active,
      // so the next one is inserted beside it.
      // Each round dials both at the instant the previous result made them due.
      const rounds = place.rounds;
      let minute = 0;
      for (let round = 0; round < rounds; round++) {
        for (const path of ["locked", "fast"] as const) {
          if (round > 0) await takeDialJob(twin[path]);
          expect(await dialLead(ctxOf[path](minute), deps(), twin[path])).toBe("placed");
          await completeDialJob(twin[path]);
        }
        expect(await everything(twin.fast)).toEqual(await everything(twin.locked));
        for (const path of ["locked", "fast"] as const) {
          const attemptId = await openAttemptId(twin[path]);
          callIds[path].push(`one-${attemptId}`);
          const received = await receiveBlandWebhook(ctxOf[path](minute + 1), voicemail(attemptId));
          expect(received).toMatchObject({ status: "processed", outcome: "VOICEMAIL" });
        }
        const state = await everything(twin.fast);
        expect(state).toEqual(await everything(twin.locked));
        expect(state.lead).toMatchObject({
          status: round < rounds - 1 ? "active" : place.last,
          last_outcome: "VOICEMAIL",
        });
        const due = state.lead.next_attempt_at;
        if (!due) throw new Error("the lead has no next attempt");
        minute = (due.getTime() - T0) / 60_000;
        expect(state.convosoSync).toHaveLength(round + 1);
      }
      expect(await events(callIds.fast)).toEqual(await events(callIds.locked));
      expect(await events(callIds.fast)).toEqual(
        Array.from({ length: rounds }, () => ({ result: "processed", error: null, processed: true })),
      );
    },
  );

  it("write nothing for a lead put on the DNC list between the read and the write: the locked path completes it", async () => {
    const { lead } = await intakeLead(locked(0), { phone: "3055550903", state: "FL", zip: "33130" });
    // On our list without the lead being touched yet (as a DNC import that has not reached it).
    const ctx = changingMeanwhile(oneStatement(0), () =>
      sql`INSERT INTO dnc_phones (phone, reason, source) VALUES (${lead.phone}, 'test', 'import')`.execute(
        runtime.ctx.db,
      ),
    );
    expect(await dialLead({ ...ctx, boss: runtime.ctx.boss }, deps(), lead.id)).toBe("dnc");
    expect(await attemptRows(lead.id)).toEqual([]);
    expect(await leadRow(lead.id)).toMatchObject({ status: "completed", final_outcome: "DNC" });
    expect(await dialJobs(lead.id)).toEqual([]);
  });

  it("write nothing for a lead paused between the read and the write", async () => {
    const { lead } = await intakeLead(locked(0), { phone: "3055550904", state: "FL", zip: "33130" });
    const ctx = changingMeanwhile({ ...oneStatement(0), boss: runtime.ctx.boss }, () =>
      pauseLead(locked(0), lead.id),
    );
    expect(await dialLead(ctx, deps(), lead.id)).toBe("lead_not_dialable");
    expect(await attemptRows(lead.id)).toEqual([]);
    expect(await leadRow(lead.id)).toMatchObject({ status: "paused" });
    expect(await dialJobs(lead.id)).toEqual([]);
  });

  it("leave a result whose lead was paused meanwhile to the locked path: recorded, the lead stays paused with no job", async () => {
    const { lead } = await intakeLead(locked(0), { phone: "3055550905", state: "FL", zip: "33130" });
    expect(await dialLead(oneStatement(0), deps(), lead.id)).toBe("placed");
    const attemptId = await openAttemptId(lead.id);
    const ctx = changingMeanwhile({ ...oneStatement(1), boss: runtime.ctx.boss }, () =>
      pauseLead(locked(1), lead.id),
    );
    const received = await receiveBlandWebhook(ctx, voicemail(attemptId));
    expect(received).toMatchObject({ status: "processed", outcome: "VOICEMAIL" });
    expect(await attemptRows(lead.id)).toMatchObject([{ state: "ended", outcome: "VOICEMAIL" }]);
    expect(await leadRow(lead.id)).toMatchObject({ status: "paused", last_outcome: "VOICEMAIL" });
    expect(await dialJobs(lead.id)).toEqual([]);
    expect(await events([`one-${attemptId}`])).toEqual([
      { result: "processed", error: null, processed: true },
    ]);
  });

  it("answer a duplicate webhook as the locked path does: stored, nothing changed", async () => {
    const { lead } = await intakeLead(locked(0), { phone: "3055550906", state: "FL", zip: "33130" });
    expect(await dialLead(oneStatement(0), deps(), lead.id)).toBe("placed");
    const attemptId = await openAttemptId(lead.id);
    await receiveBlandWebhook(oneStatement(1), voicemail(attemptId));
    const before = await everything(lead.id);
    const again = await receiveBlandWebhook(
      { ...oneStatement(2), boss: runtime.ctx.boss },
      { ...voicemail(attemptId), answered_by: "human", call_length: 300 },
    );
    expect(again.status).toBe("duplicate");
    expect(await everything(lead.id)).toEqual(before);
  });

  it("over DIAL_MAX_CONCURRENT, undo the whole statement: no attempt, the lead told why it waits", async () => {
    const busy = await intakeLead(locked(0), { phone: "3055550907", state: "FL", zip: "33130" });
    const held = await intakeLead(locked(0), { phone: "3055550908", state: "FL", zip: "33130" });
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM dial_slots WHERE attempt_id IS NOT NULL`.execute(runtime.ctx.db);
    const inProgress = rows[0]?.n ?? 0;
    expect(await dialLead(oneStatement(0), deps(inProgress + 1), busy.lead.id)).toBe("placed");
    expect(
      await dialLead({ ...oneStatement(0), boss: runtime.ctx.boss }, deps(inProgress + 1), held.lead.id),
    ).toBe("fleet_limit");
    expect(await attemptRows(held.lead.id)).toEqual([]);
    const lead = await leadRow(held.lead.id);
    expect(lead).toMatchObject({ status: "active", attempts_total: 0 });
    expect(lead.waiting_reason).toMatch(/DIAL_MAX_CONCURRENT/);
    expect(await dialJobs(held.lead.id)).toHaveLength(1);
  });
});
