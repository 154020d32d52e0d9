import type { Database, Transaction } from "@redial/db";
import type { TestDatabase } from "@redial/db/testing";
import { ensureQueues, QUEUED_JOB_ID_INDEX, QUEUES, scheduleDialJob } from "@redial/jobs";
import { CompiledQuery, sql } from "kysely";
import { fromKysely } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Runtime } from "../src/index.ts";
import { startTestRuntime } from "../src/testing/test-runtime.ts";

let database: TestDatabase;
let runtime: Runtime;
beforeAll(async () => {
  ({ database, runtime } = await startTestRuntime());
});
afterAll(async () => {
  await runtime.stop();
  await database.drop();
});

/** Queued dial jobs of leads that do not exist: the job table of a campaign with `count` active leads. */
async function queueJobs(firstLeadId: number, count: number): Promise<void> {
  const startAfter = new Date(Date.now() + 3_600_000);
  for (let start = 0; start < count; start += 1000) {
    const jobs = Array.from({ length: Math.min(1000, count - start) }, (_, i) => ({
      data: { leadId: firstLeadId + start + i },
      singletonKey: String(firstLeadId + start + i),
      startAfter,
    }));
    await runtime.ctx.boss.insert(QUEUES.dial.name, jobs);
  }
  await sql`ANALYZE pgboss.job`.execute(runtime.ctx.db);
}

interface PlanNode {
  "Shared Hit Blocks": number;
  "Shared Read Blocks": number;
}

/**
 * The buffers (8 kB pages) read by the statements that rescheduling `leadId`'s job sends
 * (pg-boss's upsert): recorded in one rolled-back transaction, then each run under EXPLAIN
 * ANALYZE in another.
 */
async function pagesReadToReschedule(leadId: number): Promise<number> {
  const statements: { text: string; values: readonly unknown[] }[] = [];
  await rolledBack(async (trx) => {
    const inner = fromKysely(trx);
    const recording = {
      executeSql: (text: string, values?: unknown[]) => {
        statements.push({ text, values: values ?? [] });
        return inner.executeSql(text, values);
      },
    };
    await runtime.ctx.boss.upsert(
      QUEUES.dial.name,
      { leadId },
      { singletonKey: String(leadId), startAfter: 60, db: recording },
    );
  });
  expect(statements.length).toBeGreaterThan(0);
  let pages = 0;
  await rolledBack(async (trx) => {
    for (const { text, values } of statements) {
      const { rows } = await trx.executeQuery<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
        CompiledQuery.raw(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, [...values]),
      );
      const plan = rows[0]?.["QUERY PLAN"][0].Plan;
      if (plan) pages += plan["Shared Hit Blocks"] + plan["Shared Read Blocks"];
    }
  });
  return pages;
}

async function rolledBack(work: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
  await runtime.ctx.db
    .transaction()
    .execute(async (trx) => {
      await work(trx);
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
}

class Rollback extends Error {}

describe("rescheduling a lead's dial job", () => {
  it("reads the same few pages whatever the number of queued jobs (pg-boss's upsert alone reads them all before PostgreSQL 18)", async () => {
    const leadId = 900_100;
    await queueJobs(900_000, 2000);
    const small = await pagesReadToReschedule(leadId);
    await queueJobs(910_000, 8000);
    const large = await pagesReadToReschedule(leadId);
    expect(large - small).toBeLessThanOrEqual(5);

    // Without our index, pg-boss's UPDATE … WHERE id IN (…) does not name the queue, so before
    // PostgreSQL 18 the (name, id) primary key cannot find the row: every queued job of every
    // lead is read. From 18 on, a skip scan of that key finds it (the index is then redundant).
    await sql.raw(`DROP INDEX pgboss.${QUEUED_JOB_ID_INDEX}`).execute(runtime.ctx.db);
    const { rows } = await sql<{ version: number }>`
      SELECT current_setting('server_version_num')::int AS version`.execute(runtime.ctx.db);
    const withoutIndex = await pagesReadToReschedule(leadId);
    if ((rows[0]?.version ?? 0) < 180_000) expect(withoutIndex).toBeGreaterThan(large + 50);
    else expect(withoutIndex).toBeLessThanOrEqual(large + 5);

    // Every process start puts it back.
    await ensureQueues(runtime.ctx.boss);
    expect(await pagesReadToReschedule(leadId)).toBeLessThanOrEqual(large + 5);
  });

  it("a start whose index build would wait on a long transaction goes on without it, and a later start builds it", async () => {
    await sql.raw(`DROP INDEX IF EXISTS pgboss.${QUEUED_JOB_ID_INDEX}`).execute(runtime.ctx.db);
    const exists = async () => {
      const { rows } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'pgboss' AND indexname = ${QUEUED_JOB_ID_INDEX}`.execute(
        runtime.ctx.db,
      );
      return rows[0]?.n === 1;
    };
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => {
      locked = resolve;
    });
    // A transaction that has written to the job table and is still open.
    const open = runtime.ctx.db.transaction().execute(async (trx) => {
      await sql`LOCK TABLE pgboss.job_common IN ROW EXCLUSIVE MODE`.execute(trx);
      locked();
      await released;
    });
    await holding;
    try {
      expect(await ensureQueues(runtime.ctx.boss, { indexLockTimeoutMs: 200 })).toBe(false);
      expect(await exists()).toBe(false);
    } finally {
      release();
      await open;
    }
    expect(await ensureQueues(runtime.ctx.boss, { indexLockTimeoutMs: 200 })).toBe(true);
    expect(await exists()).toBe(true);
  });

  it("keeps exactly one queued job for the lead, moved to the new time", async () => {
    const leadId = 950_000;
    const at = new Date(Date.now() + 10 * 60_000);
    await runtime.ctx.db
      .transaction()
      .execute((trx) => scheduleDialJob(runtime.ctx.boss, trx, leadId, at, new Date()));
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pgboss.job
      WHERE name = 'dial' AND singleton_key = ${String(leadId)} AND state = 'created'`.execute(
      runtime.ctx.db,
    );
    expect(rows[0]?.n).toBe(1);
  });
});
