import { OUTCOMES } from "@redial/domain";
import { sql } from "kysely";
import type { TestDatabase } from "../../db/src/testing/test-database.ts";

/**
 * A random history written through every kind of write the system makes (dial loop transitions,
 * backfill inserts, bulk updates, the daily reset, deletes that cascade), deterministic per seed:
 * the reports and the reporting views are compared with plain SQL over it.
 */
const DAYS = ["2026-01-04", "2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08"];
const LAST_OUTCOMES = [null, ...OUTCOMES, "LEGACY_STATUS"];

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

export async function randomHistory(t: TestDatabase, seed: number): Promise<void> {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const db = t.db;
  const instant = () => new Date(Date.parse("2026-01-04T00:00:00Z") + random() * 5 * 86_400_000);
  const leadIds: number[] = [];
  // Leads: a bulk insert (one statement), then single intakes.
  const lead = (i: number) => {
    const status = pick(["active", "active", "daily_max_reached", "paused", "completed"] as const);
    const final = status === "completed" ? pick(["SALE", "DNC"] as const) : null;
    // A few completed leads carry no completed_at (rows written before it was kept): sold on no day.
    const completedAt = final && random() < 0.75 ? instant() : null;
    return {
      phone: `+1305${String(10_000_000 + i).slice(1)}`,
      status,
      final_outcome: final,
      last_outcome: final ?? pick(LAST_OUTCOMES),
      created_at: instant(),
      completed_at: completedAt,
    };
  };
  const bulk = await db
    .insertInto("leads")
    .values(Array.from({ length: 60 }, (_, i) => lead(i)))
    .returning("id")
    .execute();
  leadIds.push(...bulk.map((r) => r.id));
  for (let i = 60; i < 80; i++) {
    leadIds.push((await db.insertInto("leads").values(lead(i)).returning("id").executeTakeFirstOrThrow()).id);
  }
  const attemptNumbers = new Map<number, number>();
  const nextNumber = (leadId: number) => {
    const n = (attemptNumbers.get(leadId) ?? 0) + 1;
    attemptNumbers.set(leadId, n);
    return n;
  };
  const ended = () => ({
    state: "ended" as const,
    outcome: pick(OUTCOMES),
    answered: random() < 0.5,
    transferred: random() < 0.3,
    price: Math.round(random() * 5000) / 10_000,
  });
  // The dial loop: insert dialing, then in_progress, then ended or not_placed (some stay open).
  for (let i = 0; i < 300; i++) {
    const leadId = pick(leadIds);
    const at = instant();
    const day =
      DAYS[Math.floor((at.getTime() - Date.parse("2026-01-04T05:00:00Z")) / 86_400_000) + 1] ?? DAYS[0];
    const { id } = await db
      .insertInto("call_attempts")
      .values({
        lead_id: leadId,
        attempt_number: nextNumber(leadId),
        campaign_day: day as string,
        dialed_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const r = random();
    if (r < 0.1) {
      await db.updateTable("call_attempts").set({ state: "not_placed" }).where("id", "=", id).execute();
      continue;
    }
    await db
      .updateTable("call_attempts")
      .set({ state: "in_progress", bland_call_id: `call-${id}` })
      .where("id", "=", id)
      .execute();
    if (r < 0.15) continue;
    await db.updateTable("call_attempts").set(ended()).where("id", "=", id).execute();
    if (r < 0.2) await db.updateTable("call_attempts").set(ended()).where("id", "=", id).execute();
  }
  // The loop's lead updates, one row per statement: a new last outcome, a status, or nothing reported.
  for (let i = 0; i < 60; i++) {
    const r = random();
    const change =
      r < 0.4
        ? { last_outcome: pick(LAST_OUTCOMES) }
        : r < 0.7
          ? { status: pick(["active", "daily_max_reached", "paused"] as const) }
          : { waiting_reason: `unreported change ${i}` };
    // A completed lead keeps its status (its final outcome requires it).
    await db
      .updateTable("leads")
      .set(change)
      .where("id", "=", pick(leadIds))
      .where("status", "<>", "completed")
      .execute();
  }
  // The backfill's ended calls: first in batches of one (one statement each), then one batch.
  const backfilledCall = () => {
    const leadId = pick(leadIds);
    return {
      lead_id: leadId,
      attempt_number: nextNumber(leadId),
      campaign_day: pick(DAYS),
      dialed_at: instant(),
      origin: "backfill" as const,
      result_source: "backfill" as const,
      ...ended(),
    };
  };
  for (let i = 0; i < 30; i++) await db.insertInto("call_attempts").values(backfilledCall()).execute();
  await db
    .insertInto("call_attempts")
    .values(Array.from({ length: 80 }, backfilledCall))
    .execute();
  // Bulk updates: a day of calls moved, transfers cleared, prices changed; lead changes.
  await sql`UPDATE call_attempts SET campaign_day = campaign_day + 1 WHERE id % 7 = 0`.execute(db);
  await sql`UPDATE call_attempts SET transferred = false WHERE id % 5 = 0 AND state = 'ended'`.execute(db);
  await sql`UPDATE call_attempts SET state = 'not_placed', outcome = NULL WHERE id % 11 = 0`.execute(db);
  await sql`UPDATE call_attempts SET price = price * 2 WHERE id % 3 = 0`.execute(db);
  await sql`UPDATE leads SET last_outcome = 'TRANSFERRED' WHERE id % 4 = 0 AND status <> 'completed'`.execute(
    db,
  );
  await sql`UPDATE leads SET created_at = created_at - interval '20 hours' WHERE id % 9 = 0`.execute(db);
  await sql`SELECT * FROM redial_daily_reset(0, 1000000)`.execute(db);
  await sql`UPDATE leads SET status = 'daily_max_reached' WHERE id % 3 = 0 AND status = 'active'`.execute(db);
  // Deletes: attempts one by one and in bulk, and leads with their attempts (ON DELETE CASCADE).
  await sql`DELETE FROM call_attempts WHERE id IN (SELECT id FROM call_attempts ORDER BY id LIMIT 3)`.execute(
    db,
  );
  await sql`DELETE FROM call_attempts WHERE id % 13 = 0`.execute(db);
  await sql`DELETE FROM leads WHERE id IN (${sql.join(leadIds.slice(0, 8))})`.execute(db);
  const phones = await db
    .selectFrom("leads")
    .select("phone")
    .where("id", "in", leadIds.slice(10, 16))
    .execute();
  await db
    .insertInto("dnc_phones")
    .values(phones.map(({ phone }) => ({ phone, reason: "test", source: "test" })))
    .execute();
}
