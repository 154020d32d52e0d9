import { listenForNotifications } from "@redial/db";
import type { TestDatabase } from "@redial/db/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIAL_SLOT_FREED_CHANNEL, ensureDialSlots, type Runtime, watchDialSlots } from "../src/index.ts";
import { startTestRuntime } from "../src/testing/test-runtime.ts";

let database: TestDatabase;
let runtime: Runtime;
beforeAll(async () => {
  ({ database, runtime } = await startTestRuntime());
  await ensureDialSlots(runtime.ctx.db, 1);
});
afterAll(async () => {
  await runtime.stop();
  await database.drop();
});

/** A call in progress holding the one slot; answers its attempt id. */
async function holdTheSlot(phone: string): Promise<number> {
  const db = runtime.ctx.db;
  const { rows } = await sql<{ id: number }>`
    WITH lead AS (
      INSERT INTO leads (phone, state, zip, timezones, states, source)
      VALUES (${phone}, 'NY', '10001', '{America/New_York}', '{NY}', 'test') RETURNING id)
    INSERT INTO call_attempts (lead_id, attempt_number, campaign_day, dialed_at, state)
    SELECT id, 1, current_date, now(), 'dialing' FROM lead RETURNING id`.execute(db);
  const attempt = Number(rows[0]?.id);
  await sql`SELECT dial_slot_take(${attempt}::bigint, 1)`.execute(db);
  return attempt;
}

describe("a dial job at DIAL_MAX_CONCURRENT waits for a slot given back (watchDialSlots)", () => {
  it("goes as soon as the call holding the slot ends", async () => {
    const attempt = await holdTheSlot("+12125550901");
    const watch = watchDialSlots(runtime.ctx.db, 1, { everyMs: 20, patienceMs: 60_000 });
    const freed = watch.freed(Date.now());
    await sql`UPDATE call_attempts SET state = 'not_placed', ended_at = now(), error_message = 'test' WHERE id = ${attempt}`.execute(
      runtime.ctx.db,
    );
    expect(await freed).toBe(true);
    watch.stop();
  });

  it("gives up past its patience while every slot stays busy, and at once when stopped", async () => {
    await holdTheSlot("+12125550902");
    const watch = watchDialSlots(runtime.ctx.db, 1, { everyMs: 20, patienceMs: 200 });
    expect(await watch.freed(Date.now())).toBe(false);
    const waiting = watch.freed(Date.now());
    watch.stop();
    expect(await waiting).toBe(false);
    expect(await watch.freed(Date.now())).toBe(false);
  });

  it("goes at the slot's give-back, told by LISTEN, without waiting for its next timed read", async () => {
    // The call of the test before still holds the one slot: it ends first.
    await sql`UPDATE call_attempts SET state = 'not_placed', ended_at = now(), error_message = 'test'
              WHERE state IN ('dialing', 'in_progress')`.execute(runtime.ctx.db);
    const attempt = await holdTheSlot("+12125550903");
    // The timed read is an hour away: only the notification can let the job go within the test.
    const watch = watchDialSlots(runtime.ctx.db, 1, { everyMs: 3_600_000, patienceMs: 7_200_000 });
    const listener = await listenForNotifications(
      database.url,
      DIAL_SLOT_FREED_CHANNEL,
      () => watch.wake(),
      () => undefined,
    );
    try {
      const freed = watch.freed(Date.now());
      await sql`UPDATE call_attempts SET state = 'not_placed', ended_at = now(), error_message = 'test' WHERE id = ${attempt}`.execute(
        runtime.ctx.db,
      );
      expect(await freed).toBe(true);
    } finally {
      watch.stop();
      await listener.close();
    }
  });
});
