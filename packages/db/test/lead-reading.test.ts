import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addToDncList, readLead, readLockedLead } from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/test-database.ts";

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => test.drop());

const NOW = new Date("2026-11-28T17:00:00Z");
const SINCE = new Date(NOW.getTime() - 48 * 3_600_000);
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

async function lead(phone: string): Promise<{ id: number; phone: string }> {
  const row = await test.db.insertInto("leads").values({ phone }).returning("id").executeTakeFirstOrThrow();
  return { id: row.id, phone };
}

async function attempt(leadId: number, n: number, dialedAt: Date, state: string, endedAt?: Date) {
  const row = await test.db
    .insertInto("call_attempts")
    .values({
      lead_id: leadId,
      attempt_number: n,
      campaign_day: dialedAt.toISOString().slice(0, 10),
      dialed_at: dialedAt,
      state,
      ended_at: endedAt ?? null,
      outcome: state === "ended" ? "NO_ANSWER" : null,
      bland_call_id: `call-${leadId}-${n}`,
    } as never)
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

describe("readLead: a lead as a decision reads it, in one statement", () => {
  it("its calls of the last 48 h placed or possibly placed (oldest first), its open call whenever dialed, the DNC flag", async () => {
    const l = await lead("+12125550801");
    const open = await attempt(l.id, 1, hoursAgo(72), "in_progress"); // open, older than the history window
    await attempt(l.id, 2, hoursAgo(60), "ended", hoursAgo(59.9)); // outside the window
    const third = await attempt(l.id, 3, hoursAgo(30), "ended", hoursAgo(29.9));
    await attempt(l.id, 4, hoursAgo(5), "not_placed", hoursAgo(5));
    const fifth = await attempt(l.id, 5, hoursAgo(2), "ended"); // no ended_at: counts as ended at its dial
    const sixth = await attempt(l.id, 6, hoursAgo(1), "ended", hoursAgo(0.9));
    await addToDncList(test.db, { phone: l.phone, reason: "test", source: "test" });

    const reading = await readLead(test.db, l.id, SINCE);
    expect(reading?.lead).toMatchObject({ id: l.id, phone: l.phone, status: "active" });
    expect(reading?.open).toEqual({ attemptId: open, dialedAt: hoursAgo(72), blandCallId: `call-${l.id}-1` });
    expect(reading?.onDncList).toBe(true);
    expect(reading?.history).toEqual([
      { attemptId: third, dialedAt: hoursAgo(30), endedAt: hoursAgo(29.9) },
      { attemptId: fifth, dialedAt: hoursAgo(2), endedAt: hoursAgo(2) },
      { attemptId: sixth, dialedAt: hoursAgo(1), endedAt: hoursAgo(0.9) },
    ]);
    expect(reading?.since).toEqual(SINCE);
  });

  it("a lead never called and not on the DNC list: nothing open, no history; a lead that does not exist: undefined", async () => {
    const l = await lead("+12125550802");
    expect(await readLead(test.db, l.id, SINCE)).toMatchObject({ open: null, onDncList: false, history: [] });
    expect(await readLead(test.db, 987_654, SINCE)).toBeUndefined();
  });

  it("of two open calls (never made by the dialer), the latest is the open one", async () => {
    const l = await lead("+12125550803");
    await attempt(l.id, 1, hoursAgo(3), "dialing");
    const latest = await attempt(l.id, 2, hoursAgo(1), "in_progress");
    const reading = await readLead(test.db, l.id, SINCE);
    expect(reading?.open?.attemptId).toBe(latest);
    expect(reading?.history.map((h) => h.endedAt)).toEqual([null, null]);
  });

  it("its version and attempts mark change when the lead or its calls change, not when a dialing call is placed", async () => {
    const l = await lead("+12125550805");
    const id = await attempt(l.id, 1, hoursAgo(1), "dialing");
    const first = await readLead(test.db, l.id, SINCE);
    await sql`UPDATE call_attempts SET state = 'in_progress' WHERE id = ${id}`.execute(test.db);
    const placed = await readLead(test.db, l.id, SINCE);
    expect([placed?.version, placed?.attemptsMark]).toEqual([first?.version, first?.attemptsMark]);
    await sql`UPDATE call_attempts SET state = 'ended', outcome = 'BUSY' WHERE id = ${id}`.execute(test.db);
    expect((await readLead(test.db, l.id, SINCE))?.attemptsMark).not.toBe(first?.attemptsMark);
    await sql`UPDATE leads SET last_outcome = 'BUSY' WHERE id = ${l.id}`.execute(test.db);
    expect((await readLead(test.db, l.id, SINCE))?.version).not.toBe(first?.version);
  });

  it("readLockedLead, after the lead's lock, sees the call another dialer committed while it waited", async () => {
    const l = await lead("+12125550804");
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let firstLocked!: () => void;
    const locked = new Promise<void>((resolve) => {
      firstLocked = resolve;
    });
    const first = test.db.transaction().execute(async (trx) => {
      await sql`SELECT 1 FROM leads WHERE id = ${l.id} FOR UPDATE`.execute(trx);
      await trx
        .insertInto("call_attempts")
        .values({ lead_id: l.id, attempt_number: 1, campaign_day: "2026-11-28", dialed_at: hoursAgo(0) })
        .execute();
      firstLocked();
      await firstMayCommit;
    });
    await locked;
    const second = test.db.transaction().execute((trx) => readLockedLead(trx, l.id, SINCE));
    // The second transaction is waiting on the lead's row lock before the first commits.
    await expect
      .poll(
        async () =>
          (
            await sql<{ n: number }>`
              SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(test.db)
          ).rows[0]?.n,
      )
      .toBe(1);
    releaseFirst();
    await first;
    const reading = await second;
    expect(reading?.open?.dialedAt).toEqual(hoursAgo(0));
    expect(reading?.history).toHaveLength(1);
  });
});
