import { createHash } from "node:crypto";
import { createDb, type Db } from "@redial/db";
import type { TestDatabase } from "@redial/db/testing";
import type { BlandCall } from "@redial/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BlandEventBatcher,
  type DialDependencies,
  dialLead,
  ensureDialSlots,
  finishPendingBlandEvents,
  intakeLead,
  type Runtime,
  storeBlandDelivery,
} from "../src/index.ts";
import { startTestRuntime } from "../src/testing/test-runtime.ts";

/**
 * The webhook intake's group commit: deliveries that arrive together are stored in one statement
 * and one commit, each answered only once its row is durable; one bad event fails alone; a process
 * that dies after the store and before applying loses nothing (the pending sweep applies it).
 */

let database: TestDatabase;
let runtime: Runtime;
/** A second connection: what it sees is committed. */
let observer: Db;
beforeAll(async () => {
  ({ database, runtime } = await startTestRuntime({ syncToConvoso: false }));
  await ensureDialSlots(runtime.ctx.db, 5);
  observer = createDb(database.url, { max: 1 });
});
afterAll(async () => {
  await observer.destroy();
  await runtime.stop();
  await database.drop();
});

const SINCE = new Date("2026-12-01T17:00:00Z");

function event(callId: string, body: unknown = { call_id: callId, completed: true }) {
  const text = JSON.stringify(body);
  return { callId, attemptId: null, body, sha256: createHash("sha256").update(text).digest() };
}

async function storedRows(callIds: string[]) {
  const { rows } = await sql<{ call_id: string; delivery_count: number }>`
    SELECT call_id, delivery_count FROM webhook_events WHERE call_id = ANY (${callIds}::text[]) ORDER BY id`.execute(
    observer,
  );
  return rows;
}

describe("BlandEventBatcher", () => {
  it("each delivery is answered only once its row is committed (another connection sees it)", async () => {
    const batcher = new BlandEventBatcher(runtime.ctx.db, { maxBatch: 100, maxInFlight: 1 });
    const ids = Array.from({ length: 12 }, (_, i) => `batch-durable-${i}`);
    const seen = await Promise.all(
      ids.map(async (id) => {
        const stored = await batcher.store(event(id), SINCE);
        const rows = await storedRows([id]);
        return { id: stored.eventId, rows: rows.length };
      }),
    );
    expect(seen.map((s) => s.rows)).toEqual(ids.map(() => 1));
    expect(new Set(seen.map((s) => s.id)).size).toBe(ids.length);
  });

  it("the same bytes delivered twice at once are stored once and counted twice", async () => {
    const batcher = new BlandEventBatcher(runtime.ctx.db, { maxBatch: 100, maxInFlight: 1 });
    const same = event("batch-twice");
    const [first, second, other] = await Promise.all([
      batcher.store(event("batch-before"), SINCE),
      batcher.store(same, SINCE),
      batcher.store(same, SINCE),
    ]);
    expect(second?.eventId).toBe(other?.eventId);
    expect(first?.eventId).not.toBe(second?.eventId);
    expect(await storedRows(["batch-twice"])).toEqual([{ call_id: "batch-twice", delivery_count: 2 }]);
  });

  it("a statement with one event PostgreSQL refuses still stores and answers the others; the bad one fails alone", async () => {
    const batcher = new BlandEventBatcher(runtime.ctx.db, { maxBatch: 100, maxInFlight: 1 });
    // jsonb refuses \u0000 in a string (the route strips it before; here it reaches the statement).
    const bad = event("batch-bad", { call_id: "batch-bad", summary: "nul \u0000 here" });
    const results = await Promise.allSettled([
      batcher.store(event("batch-first"), SINCE), // alone: the next three wait for it and go together
      batcher.store(event("batch-good-1"), SINCE),
      batcher.store(bad, SINCE),
      batcher.store(event("batch-good-2"), SINCE),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect(
      (await storedRows(["batch-first", "batch-good-1", "batch-bad", "batch-good-2"])).map((r) => r.call_id),
    ).toEqual(["batch-first", "batch-good-1", "batch-good-2"]);
  });
});

describe("a process that dies between storing a delivery and applying it", () => {
  it("loses nothing: the stored event is applied by the pending sweep, once", async () => {
    const now = new Date("2026-12-02T17:00:00Z"); // Wednesday noon in New York
    const ctx = { ...runtime.ctx, now: () => now };
    const deps: DialDependencies = {
      dialer: {
        place: async ({ attemptId }) => ({ callId: `crash-${attemptId}` }),
        findPlacedCall: async () => undefined,
        getCall: async () => undefined,
        classify: (error) => ({ kind: "ambiguous", message: String(error) }),
      },
      limits: { maxConcurrent: 5, maxPerHour: null, maxPerDay: null },
    };
    const { lead } = await intakeLead(ctx, { phone: "2125550777", state: "NY", zip: "10001" });
    expect(await dialLead(ctx, deps, lead.id)).toBe("placed");
    const attempt = await runtime.ctx.db
      .selectFrom("call_attempts")
      .select(["id", "bland_call_id"])
      .where("lead_id", "=", lead.id)
      .executeTakeFirstOrThrow();
    const call: BlandCall = {
      call_id: attempt.bland_call_id ?? "",
      completed: true,
      status: "completed",
      answered_by: "voicemail",
      call_length: 31,
      metadata: { attempt_id: Number(attempt.id) },
    };
    const batcher = new BlandEventBatcher(runtime.ctx.db, { maxBatch: 100, maxInFlight: 1 });
    // Stored (and answered), then the process dies: the result is never applied by it.
    const stored = await storeBlandDelivery(ctx, call, undefined, batcher);
    await sql`UPDATE webhook_events SET received_at = now() - interval '6 minutes' WHERE id = ${stored.delivery.eventId}`.execute(
      runtime.ctx.db,
    );
    const later = { ...runtime.ctx, now: () => new Date(now.getTime() + 7 * 60_000) };
    expect(await finishPendingBlandEvents(later)).toBe(1);
    const row = await observer
      .selectFrom("call_attempts")
      .select(["state", "outcome"])
      .where("id", "=", Number(attempt.id))
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ state: "ended", outcome: "VOICEMAIL" });
    expect(await finishPendingBlandEvents(later)).toBe(0);
  });
});
