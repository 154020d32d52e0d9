import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addToDncList,
  attemptHistory,
  findOpenAttempt,
  insertAttempt,
  isOnDncList,
  loadDialFacts,
  lockLead,
} from "../src/index.ts";
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
  await test.db
    .insertInto("call_attempts")
    .values({
      lead_id: leadId,
      attempt_number: n,
      campaign_day: dialedAt.toISOString().slice(0, 10),
      dialed_at: dialedAt,
      state,
      ended_at: endedAt ?? null,
      outcome: state === "ended" ? "NO_ANSWER" : null,
    } as never)
    .execute();
}

describe("loadDialFacts: the dial transaction's reads in one statement", () => {
  it("equals findOpenAttempt + isOnDncList + attemptHistory, for a lead with every kind of call", async () => {
    const l = await lead("+12125550801");
    await attempt(l.id, 1, hoursAgo(72), "in_progress"); // open, older than the history window
    await attempt(l.id, 2, hoursAgo(60), "ended", hoursAgo(59.9)); // outside the window
    await attempt(l.id, 3, hoursAgo(30), "ended", hoursAgo(29.9));
    await attempt(l.id, 4, hoursAgo(5), "not_placed", hoursAgo(5));
    await attempt(l.id, 5, hoursAgo(2), "ended"); // no ended_at: counts as ended at its dial
    await attempt(l.id, 6, hoursAgo(1), "ended", hoursAgo(0.9));
    await addToDncList(test.db, { phone: l.phone, reason: "test", source: "test" });

    const facts = await loadDialFacts(test.db, l, SINCE);
    expect(facts.open).toEqual(await findOpenAttempt(test.db, l.id));
    expect(facts.open?.attemptNumber).toBe(1);
    expect(facts.onDncList).toBe(true);
    expect(await isOnDncList(test.db, l.phone)).toBe(true);
    expect(facts.history).toEqual(await attemptHistory(test.db, l.id, SINCE));
    expect(facts.history.map((h) => h.dialedAt)).toEqual([hoursAgo(30), hoursAgo(2), hoursAgo(1)]);
    expect(facts.history[1]?.endedAt).toEqual(hoursAgo(2));
  });

  it("a lead never called and not on the DNC list: nothing open, no history", async () => {
    const l = await lead("+12125550802");
    expect(await loadDialFacts(test.db, l, SINCE)).toEqual({
      open: undefined,
      onDncList: false,
      history: [],
    });
  });

  it("of two open calls (never made by the dialer), the latest is the open one, as findOpenAttempt says", async () => {
    const l = await lead("+12125550803");
    await attempt(l.id, 1, hoursAgo(3), "dialing");
    await attempt(l.id, 2, hoursAgo(1), "in_progress");
    const facts = await loadDialFacts(test.db, l, SINCE);
    expect(facts.open?.attemptNumber).toBe(2);
    expect(facts.open).toEqual(await findOpenAttempt(test.db, l.id));
    expect(facts.history).toHaveLength(2);
  });

  it("read after the lead's lock, it sees the call another dialer committed while it waited", async () => {
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
      await lockLead(trx, l.id);
      await insertAttempt(trx, {
        leadId: l.id,
        attemptNumber: 1,
        campaignDay: "2026-11-28",
        dialedAt: hoursAgo(0),
      });
      firstLocked();
      await firstMayCommit;
    });
    await locked;
    const second = test.db.transaction().execute(async (trx) => {
      await lockLead(trx, l.id); // waits for the first transaction
      return loadDialFacts(trx, l, SINCE);
    });
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
    const facts = await second;
    expect(facts.open?.attemptNumber).toBe(1);
    expect(facts.open?.state).toBe("dialing");
  });
});
