import type { DialEvidence, LeadSchedule } from "@redial/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type DialWrite,
  inTransaction,
  LEAD_LOCKED,
  readLead,
  readLockedLead,
  unchangedSince,
  writeCompletion,
  writeDial,
  writeResult,
  writeSchedule,
} from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/test-database.ts";

/**
 * The lead writers under their two guards: the same statement writes a plan when the caller holds
 * the lead's lock, or when nothing it read has changed since; anything changed ⇒ `stale`, nothing written.
 */

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => test.drop());
beforeEach(async () => {
  await sql`DELETE FROM dial_slots`.execute(test.db);
  await sql`SELECT dial_slots_ensure(5)`.execute(test.db);
});

const NOW = new Date("2026-12-02T17:00:00Z");
const SINCE = new Date(NOW.getTime() - 48 * 3_600_000);
const inProgress: LeadSchedule = {
  status: "active",
  nextAttemptAt: new Date(NOW.getTime() + 32 * 60_000),
  waitingReason: "call_in_progress: waiting for the call's result",
};
/** A dial's evidence as the writer stores it (its content is the domain's: dial-evidence.test.ts). */
const EVIDENCE = {
  format: "redial-dial-evidence/1",
  decided_at: NOW.toISOString(),
} as unknown as DialEvidence;
const dial = (more: Partial<DialWrite> = {}): DialWrite => ({
  attemptsTotal: 1,
  campaignDay: "2026-12-02",
  dialedAt: NOW,
  schedule: inProgress,
  limits: { maxConcurrent: 5, maxPerHour: null, maxPerDay: null },
  dayStart: new Date("2026-12-02T05:00:00Z"),
  evidence: EVIDENCE,
  ...more,
});

let phone = 0;
async function newLead(): Promise<{ id: number; phone: string }> {
  const number = `+1212555${String(900 + ++phone).padStart(4, "0")}`;
  const row = await test.db
    .insertInto("leads")
    .values({ phone: number })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id: row.id, phone: number };
}

async function reading(leadId: number) {
  const read = await readLead(test.db, leadId, SINCE);
  if (!read) throw new Error("no lead");
  return read;
}

async function attemptsOf(leadId: number) {
  return test.db
    .selectFrom("call_attempts")
    .selectAll()
    .where("lead_id", "=", leadId)
    .orderBy("id")
    .execute();
}

async function leadRow(leadId: number) {
  return test.db.selectFrom("leads").selectAll().where("id", "=", leadId).executeTakeFirstOrThrow();
}

async function queuedDialJobs(leadId: number) {
  const { rows } = await sql<{ due_in: number }>`
    SELECT round(extract(epoch FROM start_after - now()))::int AS due_in FROM pgboss.job
    WHERE name = 'dial' AND singleton_key = ${String(leadId)} AND state < 'active'`.execute(test.db);
  return rows;
}

async function busySlots(): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM dial_slots WHERE attempt_id IS NOT NULL`.execute(test.db);
  return rows[0]?.n ?? 0;
}

describe("writeDial", () => {
  it("writes the attempt, the lead in progress, its job at the deadline and a slot, when nothing changed since the read", async () => {
    const lead = await newLead();
    const written = await writeDial(test.db, lead.id, unchangedSince(await reading(lead.id)), dial());
    expect(written.kind).toBe("written");
    expect(await attemptsOf(lead.id)).toMatchObject([{ state: "dialing", attempt_number: 1 }]);
    expect(await leadRow(lead.id)).toMatchObject({
      status: "active",
      attempts_total: 1,
      next_attempt_at: inProgress.nextAttemptAt,
    });
    expect(await busySlots()).toBe(1);
    // Due 32 minutes after the dial's `now`, counted on the database's clock from the write.
    expect(await queuedDialJobs(lead.id)).toEqual([{ due_in: 1920 }]);
  });

  it.each([
    [
      "the lead row changed",
      (lead: { id: number }) => sql`UPDATE leads SET last_outcome = 'BUSY' WHERE id = ${lead.id}`,
    ],
    [
      "a call was added without touching the lead (a backfill import)",
      (lead: { id: number }) =>
        sql`INSERT INTO call_attempts (lead_id, attempt_number, campaign_day, dialed_at, state, outcome, origin)
            VALUES (${lead.id}, 9, '2026-12-02', ${NOW}, 'ended', 'BUSY', 'backfill')`,
    ],
    [
      "its phone went on the DNC list",
      (lead: { phone: string }) =>
        sql`INSERT INTO dnc_phones (phone, reason, source) VALUES (${lead.phone}, 't', 't')`,
    ],
  ])("writes nothing when %s between the read and the write (stale)", async (_what, change) => {
    const lead = await newLead();
    const read = await reading(lead.id);
    await change(lead).execute(test.db);
    const before = await attemptsOf(lead.id);
    expect(await writeDial(test.db, lead.id, unchangedSince(read), dial())).toEqual({ kind: "stale" });
    expect(await attemptsOf(lead.id)).toEqual(before);
    expect(await busySlots()).toBe(0);
  });

  it("under the lead's lock writes the same rows, without comparing versions", async () => {
    const lead = await newLead();
    const written = await inTransaction(test.db, async (trx) => {
      const read = await readLockedLead(trx, lead.id, SINCE);
      expect(read?.lead.id).toBe(lead.id);
      return writeDial(trx, lead.id, LEAD_LOCKED, dial());
    });
    expect(written.kind).toBe("written");
    expect(await attemptsOf(lead.id)).toHaveLength(1);
    expect(await leadRow(lead.id)).toMatchObject({ attempts_total: 1 });
  });

  it("over DIAL_MAX_CONCURRENT undoes the whole dial: no attempt, the lead and slots as they were", async () => {
    const lead = await newLead();
    const before = await leadRow(lead.id);
    const full = dial({ limits: { maxConcurrent: 1, maxPerHour: null, maxPerDay: null } });
    const busy = await newLead();
    expect((await writeDial(test.db, busy.id, LEAD_LOCKED, full)).kind).toBe("written");
    expect(await writeDial(test.db, lead.id, unchangedSince(await reading(lead.id)), full)).toEqual({
      kind: "fleet_limit",
      limit: "concurrent",
    });
    expect(await attemptsOf(lead.id)).toEqual([]);
    expect(await leadRow(lead.id)).toEqual(before);
    expect(await busySlots()).toBe(1);
  });

  it("over DIAL_MAX_PER_HOUR or DIAL_MAX_PER_DAY (dials counted under the fleet lock): nothing written", async () => {
    // No dial counted before this test's (a dial's attempt, with its evidence, is never deleted).
    await sql`UPDATE call_attempts SET state = 'not_placed', outcome = NULL`.execute(test.db);
    const first = await newLead();
    expect((await writeDial(test.db, first.id, LEAD_LOCKED, dial())).kind).toBe("written");
    const lead = await newLead();
    const limits = (maxPerHour: number | null, maxPerDay: number | null) => ({
      maxConcurrent: 5,
      maxPerHour,
      maxPerDay,
    });
    expect(await writeDial(test.db, lead.id, LEAD_LOCKED, dial({ limits: limits(1, null) }))).toEqual({
      kind: "fleet_limit",
      limit: "per_hour",
    });
    expect(await writeDial(test.db, lead.id, LEAD_LOCKED, dial({ limits: limits(null, 1) }))).toEqual({
      kind: "fleet_limit",
      limit: "per_day",
    });
    expect(await attemptsOf(lead.id)).toEqual([]);
    expect((await writeDial(test.db, lead.id, LEAD_LOCKED, dial({ limits: limits(2, 2) }))).kind).toBe(
      "written",
    );
  });
});

describe("writeResult, writeSchedule, writeCompletion", () => {
  async function dialed() {
    const lead = await newLead();
    const written = await writeDial(test.db, lead.id, LEAD_LOCKED, dial());
    if (written.kind !== "written") throw new Error("not dialed");
    return { ...lead, attemptId: written.attemptId };
  }

  const voicemail = (attemptId: number, now: Date) => ({
    attemptId,
    attempt: {
      blandCallId: `call-${attemptId}`,
      outcome: "VOICEMAIL" as const,
      outcomeReason: "answered_by: voicemail",
      rawStatus: "completed",
      answeredBy: "voicemail",
      answered: false,
      durationSeconds: 31,
      price: 0.09,
      transferred: false,
      transferredTo: null,
      callbackAt: null,
      errorMessage: null,
      endedAt: now,
      source: "webhook" as const,
      receivedAt: now,
    },
    lead: {
      lastOutcome: "VOICEMAIL" as const,
      callbackAt: null,
      badNumberUntil: null,
      next: {
        kind: "schedule" as const,
        schedule: {
          status: "active" as const,
          nextAttemptAt: new Date(now.getTime() + 120_000),
          waitingReason: "interval: test",
        },
      },
    },
    now,
    addToDncList: null,
    convosoSync: null,
    event: null,
  });

  it("a result is written once: its second write finds the attempt ended (stale), even under the lock", async () => {
    const call = await dialed();
    const read = await reading(call.id);
    expect(await writeResult(test.db, call.id, unchangedSince(read), voicemail(call.attemptId, NOW))).toBe(
      "written",
    );
    expect(await attemptsOf(call.id)).toMatchObject([
      { state: "ended", outcome: "VOICEMAIL", bland_call_id: `call-${call.attemptId}` },
    ]);
    expect(await leadRow(call.id)).toMatchObject({
      last_outcome: "VOICEMAIL",
      waiting_reason: "interval: test",
    });
    expect(await busySlots()).toBe(0);
    expect(await writeResult(test.db, call.id, LEAD_LOCKED, voicemail(call.attemptId, NOW))).toBe("stale");
    expect(await writeResult(test.db, call.id, unchangedSince(read), voicemail(call.attemptId, NOW))).toBe(
      "stale",
    );
  });

  it("a dial given back: the attempt not placed (its slot free), the lead rescheduled with one call fewer; without a schedule the lead keeps its schedule, one call fewer", async () => {
    const call = await dialed();
    const later: LeadSchedule = {
      status: "active",
      nextAttemptAt: new Date(NOW.getTime() + 60_000),
      waitingReason: "dial_not_placed: x",
    };
    expect(
      await writeSchedule(test.db, call.id, LEAD_LOCKED, {
        schedule: later,
        now: NOW,
        notPlaced: { attemptId: call.attemptId, reason: "x" },
      }),
    ).toBe("written");
    expect(await attemptsOf(call.id)).toMatchObject([{ state: "not_placed", error_message: "x" }]);
    expect(await leadRow(call.id)).toMatchObject({ waiting_reason: "dial_not_placed: x", attempts_total: 0 });
    expect(await busySlots()).toBe(0);
    const other = await dialed();
    const before = await leadRow(other.id);
    expect(
      await writeSchedule(test.db, other.id, LEAD_LOCKED, {
        schedule: null,
        now: NOW,
        notPlaced: { attemptId: other.attemptId, reason: "y" },
      }),
    ).toBe("written");
    expect(before.attempts_total).toBe(1);
    expect(await leadRow(other.id)).toEqual({ ...before, attempts_total: 0, updated_at: expect.any(Date) });
  });

  it("a schedule moves the lead's dial job at its priority: a lead with a callback pending before the others", async () => {
    const priorities = async (leadId: number) => {
      const { rows } = await sql<{ priority: number }>`
        SELECT priority FROM pgboss.job WHERE name = 'dial' AND singleton_key = ${String(leadId)} AND state < 'active'`.execute(
        test.db,
      );
      return rows.map((row) => row.priority);
    };
    const schedule: LeadSchedule = { status: "active", nextAttemptAt: NOW, waitingReason: null };
    const plain = await newLead();
    const callback = await newLead();
    await test.db
      .updateTable("leads")
      .set({ callback_at: new Date(NOW.getTime() + 600_000) })
      .where("id", "=", callback.id)
      .execute();
    for (const lead of [plain, callback])
      expect(await writeSchedule(test.db, lead.id, LEAD_LOCKED, { schedule, now: NOW })).toBe("written");
    expect(await priorities(plain.id)).toEqual([0]);
    expect(await priorities(callback.id)).toEqual([1]);
  });

  it("a completion: the lead completed without its queued job, the phone on our DNC list, a convoso-sync job", async () => {
    const lead = await newLead();
    await writeSchedule(test.db, lead.id, LEAD_LOCKED, {
      schedule: { status: "active", nextAttemptAt: NOW, waitingReason: null },
      now: NOW,
    });
    expect(await queuedDialJobs(lead.id)).toHaveLength(1);
    const written = await writeCompletion(test.db, lead.id, unchangedSince(await reading(lead.id)), {
      complete: "DNC",
      now: NOW,
      addToDncList: { reason: "asked", source: "manual" },
      convosoSync: { leadId: lead.id, outcome: "DNC", dnc: true },
    });
    expect(written).toBe("written");
    expect(await leadRow(lead.id)).toMatchObject({
      status: "completed",
      final_outcome: "DNC",
      completed_at: NOW,
      next_attempt_at: null,
      waiting_reason: "completed: DNC",
    });
    expect(await queuedDialJobs(lead.id)).toEqual([]);
    expect(
      await test.db
        .selectFrom("dnc_phones")
        .select(["reason", "source"])
        .where("phone", "=", lead.phone)
        .execute(),
    ).toEqual([{ reason: "asked", source: "manual" }]);
    const { rows } = await sql<{ data: unknown }>`
      SELECT data FROM pgboss.job WHERE name = 'convoso-sync' AND (data ->> 'leadId')::bigint = ${lead.id}`.execute(
      test.db,
    );
    expect(rows).toEqual([{ data: { leadId: lead.id, outcome: "DNC", dnc: true } }]);
  });
});
