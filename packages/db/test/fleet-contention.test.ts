import { type Kysely, sql, type Transaction } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/test-database.ts";

let test: TestDatabase;
let leadIds: number[] = [];
beforeAll(async () => {
  test = await createTestDatabase();
  const rows = await test.db
    .insertInto("leads")
    .values(Array.from({ length: 6 }, (_, i) => ({ phone: `+1212555070${i}` })))
    .returning("id")
    .execute();
  leadIds = rows.map((row) => row.id);
});
afterAll(async () => test.drop());
beforeEach(async () => {
  await sql`DELETE FROM call_attempts`.execute(test.db);
  await sql`DELETE FROM dial_slots`.execute(test.db);
  await sql`SELECT dial_slots_ensure(3)`.execute(test.db);
});

/**
 * A transaction held open by the test: run statements in it, then commit or roll it back. Its
 * statements give up after `lockTimeoutMs` waiting for a lock, so "waits for another transaction"
 * is an error the test sees instead of a hang.
 */
async function openTransaction(db: Kysely<Database>, lockTimeoutMs = 300) {
  let run!: (trx: Transaction<Database>) => void;
  let finish!: (commit: boolean) => void;
  const ready = new Promise<Transaction<Database>>((resolve) => {
    run = resolve;
  });
  const ended = new Promise<boolean>((resolve) => {
    finish = resolve;
  });
  const done = db
    .transaction()
    .execute(async (trx) => {
      await sql`SET LOCAL lock_timeout = ${sql.lit(`${lockTimeoutMs}ms`)}`.execute(trx);
      run(trx);
      if (!(await ended)) throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  const trx = await ready;
  return {
    trx,
    commit: async () => {
      finish(true);
      await done;
    },
    rollback: async () => {
      finish(false);
      await done;
    },
  };
}
class RolledBack extends Error {}

let attemptNumber = 0;
async function newAttempt(db: Kysely<Database> | Transaction<Database>, leadIndex: number): Promise<number> {
  const { id } = await db
    .insertInto("call_attempts")
    .values({
      lead_id: leadIds[leadIndex] as number,
      attempt_number: ++attemptNumber,
      campaign_day: "2026-11-27",
      dialed_at: new Date("2026-11-27T15:00:00Z"),
      state: "dialing",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

async function take(db: Kysely<Database> | Transaction<Database>, attemptId: number, max: number) {
  const { rows } = await sql<{
    slot: number | null;
  }>`SELECT dial_slot_take(${attemptId}, ${max}) AS slot`.execute(db);
  return rows[0]?.slot ?? null;
}

async function endAttempt(id: number, state: "ended" | "not_placed" = "ended"): Promise<void> {
  await test.db
    .updateTable("call_attempts")
    .set({ state, ...(state === "ended" ? { outcome: "NO_ANSWER" as const } : {}), ended_at: new Date() })
    .where("id", "=", id)
    .execute();
}

async function busySlots(): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM dial_slots WHERE attempt_id IS NOT NULL`.execute(test.db);
  return rows[0]?.n ?? 0;
}

describe("DIAL_MAX_CONCURRENT slots (migration 0007)", () => {
  it("two dial transactions each take a slot without waiting for the other; one over the limit finds none", async () => {
    const a = await openTransaction(test.db);
    const b = await openTransaction(test.db);
    const c = await openTransaction(test.db);
    try {
      const slotA = await take(a.trx, await newAttempt(a.trx, 0), 2);
      // B runs while A holds its slot uncommitted: with a fleet-wide lock it would wait (lock_timeout).
      const slotB = await take(b.trx, await newAttempt(b.trx, 1), 2);
      expect(slotA).not.toBeNull();
      expect(slotB).not.toBeNull();
      expect(slotB).not.toBe(slotA);
      expect(await take(c.trx, await newAttempt(c.trx, 2), 2)).toBeNull();
    } finally {
      await a.commit();
      await b.commit();
      await c.rollback();
    }
    expect(await busySlots()).toBe(2);
    expect(await take(test.db, await newAttempt(test.db, 2), 2)).toBeNull();
  });

  it("a slot comes back when its attempt ends, is not placed, or is deleted", async () => {
    const attempts = [
      await newAttempt(test.db, 0),
      await newAttempt(test.db, 1),
      await newAttempt(test.db, 2),
    ];
    for (const id of attempts) expect(await take(test.db, id, 3)).not.toBeNull();
    const extra = await newAttempt(test.db, 3);
    expect(await take(test.db, extra, 3)).toBeNull();

    await test.db
      .updateTable("call_attempts")
      .set({ state: "in_progress" })
      .where("id", "=", attempts[0]!)
      .execute();
    expect(await busySlots()).toBe(3); // placed: still in progress
    await endAttempt(attempts[0]!);
    expect(await busySlots()).toBe(2);
    await endAttempt(attempts[1]!, "not_placed");
    expect(await busySlots()).toBe(1);
    await test.db.deleteFrom("call_attempts").where("id", "=", attempts[2]!).execute();
    expect(await busySlots()).toBe(0);
    expect(await take(test.db, extra, 3)).not.toBeNull();
  });

  it("a rolled-back dial gives its slot back; raising the limit adds slots", async () => {
    const a = await openTransaction(test.db);
    expect(await take(a.trx, await newAttempt(a.trx, 0), 1)).toBe(1);
    await a.rollback();
    expect(await busySlots()).toBe(0);
    for (let i = 0; i < 3; i++) expect(await take(test.db, await newAttempt(test.db, i), 3)).not.toBeNull();
    expect(await take(test.db, await newAttempt(test.db, 3), 3)).toBeNull();
    expect(await take(test.db, await newAttempt(test.db, 3), 4)).toBe(4);
    const { rows } = await sql<{ n: number }>`SELECT max(slot)::int AS n FROM dial_slots`.execute(test.db);
    expect(rows[0]?.n).toBe(4);
  });

  it("after the limit is lowered with calls in progress, no new call starts until they are under it", async () => {
    const attempts: number[] = [];
    for (let i = 0; i < 3; i++) {
      attempts.push(await newAttempt(test.db, i));
      expect(await take(test.db, attempts[i]!, 3)).not.toBeNull();
    }
    const endAttemptIn = async (slot: number) => {
      const { attempt_id } = await test.db
        .selectFrom("dial_slots")
        .select("attempt_id")
        .where("slot", "=", slot)
        .executeTakeFirstOrThrow();
      await endAttempt(attempt_id!);
    };
    // Limit now 2, slots 1–3 busy. The call in slot 1 ends: 2 still in progress (slots 2, 3).
    await endAttemptIn(1);
    const waiting = await newAttempt(test.db, 3);
    expect(await take(test.db, waiting, 2)).toBeNull();
    // The call in slot 3 (above the new limit) ends: 1 in progress, room for one.
    await endAttemptIn(3);
    expect(await take(test.db, waiting, 2)).not.toBeNull();
    expect(await busySlots()).toBe(2);
    expect(await take(test.db, await newAttempt(test.db, 4), 2)).toBeNull();
  });
});

/** Until another session of this database waits for a lock (polled, with a deadline). */
async function waitUntilBlocked(): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(test.db);
    if ((rows[0]?.n ?? 0) > 0) return;
    if (Date.now() > deadline) throw new Error("no session of this database is waiting for a lock");
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function rollupSums() {
  const { rows } = await sql<{ leads: string; calls: string; lead_days: string }>`
    SELECT (SELECT coalesce(sum(leads), 0) FROM report_leads)::text AS leads,
           (SELECT coalesce(sum(calls), 0) FROM report_call_days)::text AS calls,
           (SELECT coalesce(sum(leads), 0) FROM report_lead_days)::text AS lead_days`.execute(test.db);
  return rows[0];
}

describe("report rollups append deltas (migration 0006)", () => {
  it("two transactions recording calls and outcomes of different leads never wait on each other", async () => {
    const a = await openTransaction(test.db);
    const b = await openTransaction(test.db);
    try {
      // Same campaign day, same outcome (none yet), leads created in the same hour: under
      // migration 0005 both wrote the same counter rows, and B waited for A's commit.
      await newAttempt(a.trx, 0);
      await a.trx.updateTable("leads").set({ last_outcome: "BUSY" }).where("id", "=", leadIds[0]!).execute();
      await newAttempt(b.trx, 1);
      await b.trx.updateTable("leads").set({ last_outcome: "BUSY" }).where("id", "=", leadIds[1]!).execute();
    } finally {
      await a.commit();
      await b.commit();
    }
    const { rows } = await sql<{ calls: string }>`
      SELECT sum(calls)::text AS calls FROM report_call_days WHERE campaign_day = '2026-11-27'`.execute(
      test.db,
    );
    expect(rows[0]?.calls).toBe("2");
  });

  it("two first calls of one lead on one day, from writers that do not lock the lead, count the day once (0009)", async () => {
    // The dial loop locks the lead before it inserts; another writer may not. The trigger's
    // one-row path then takes the lead's lock itself and reads the lead's days after it.
    const lead = leadIds[3] as number;
    const day = (on: Kysely<Database> | Transaction<Database>, n: number) =>
      on
        .insertInto("call_attempts")
        .values({
          lead_id: lead,
          attempt_number: n,
          campaign_day: "2026-11-28",
          dialed_at: new Date("2026-11-28T15:00:00Z"),
          state: "dialing",
        })
        .execute();
    const a = await openTransaction(test.db);
    const b = await openTransaction(test.db, 10_000);
    try {
      await day(a.trx, 101);
      const second = day(b.trx, 102);
      await waitUntilBlocked();
      await a.commit();
      await second;
    } finally {
      await a.commit();
      await b.commit();
    }
    const { rows } = await sql<{ prev_day: string | null; leads: string }>`
      SELECT prev_day::text, sum(leads)::text AS leads FROM report_lead_days
      WHERE campaign_day = '2026-11-28' GROUP BY prev_day HAVING sum(leads) <> 0`.execute(test.db);
    expect(rows).toEqual([{ prev_day: null, leads: "1" }]);
  });

  it("a compaction folds the deltas into the totals and changes no sum; a second one at the same time does nothing", async () => {
    await newAttempt(test.db, 2);
    await test.db.updateTable("leads").set({ status: "paused" }).where("id", "=", leadIds[2]!).execute();
    const before = await rollupSums();
    const a = await openTransaction(test.db);
    try {
      const { rows } = await sql<{ folded: string }>`SELECT report_rollups_compact() AS folded`.execute(
        a.trx,
      );
      expect(Number(rows[0]?.folded)).toBeGreaterThan(0);
      const second = await sql<{ folded: string }>`SELECT report_rollups_compact() AS folded`.execute(
        test.db,
      );
      expect(Number(second.rows[0]?.folded)).toBe(0);
    } finally {
      await a.commit();
    }
    const { rows } = await sql<{ n: number }>`
      SELECT ((SELECT count(*) FROM report_leads_delta) + (SELECT count(*) FROM report_call_days_delta)
              + (SELECT count(*) FROM report_lead_days_delta))::int AS n`.execute(test.db);
    expect(rows[0]?.n).toBe(0);
    expect(await rollupSums()).toEqual(before);
  });
});
