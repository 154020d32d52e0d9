import type { TestDatabase } from "@redial/db/testing";
import { scheduleDialJob } from "@redial/jobs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healFailedDials, intakeLead, type Runtime } from "../src/index.ts";
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

async function jobsOf(leadId: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'dial' AND singleton_key = ${String(leadId)}
      AND state IN ('created', 'retry', 'active')`.execute(runtime.ctx.db);
  return rows[0]?.n ?? 0;
}

/** What pg-boss leaves when the worker running a lead's dial job dies: the job failed (heartbeat). */
async function failDialJob(leadId: number): Promise<void> {
  await sql`UPDATE pgboss.job SET state = 'failed', completed_on = now()
            WHERE name = 'dial' AND singleton_key = ${String(leadId)}`.execute(runtime.ctx.db);
}

describe("healFailedDials (every minute)", () => {
  it("gives a job back to a lead whose dial job failed and that has none, and leaves the others alone", async () => {
    const stranded = await intakeLead(runtime.ctx, { phone: "2125550401" });
    const requeued = await intakeLead(runtime.ctx, { phone: "2125550402" });
    const orphan = await intakeLead(runtime.ctx, { phone: "2125550403" });
    const db = runtime.ctx.db;

    await failDialJob(stranded.lead.id);
    // Its dial transaction had queued the next job before the worker died.
    await failDialJob(requeued.lead.id);
    await db
      .transaction()
      .execute((trx) =>
        scheduleDialJob(runtime.ctx.boss, trx, requeued.lead.id, new Date(Date.now() + 60_000), new Date()),
      );
    // No job and no failed job: the full sweep's business (HEAL_CRON), not this one's.
    await sql`DELETE FROM pgboss.job WHERE name = 'dial' AND singleton_key = ${String(orphan.lead.id)}`.execute(
      db,
    );
    expect([
      await jobsOf(stranded.lead.id),
      await jobsOf(requeued.lead.id),
      await jobsOf(orphan.lead.id),
    ]).toEqual([0, 1, 0]);

    expect(await healFailedDials(runtime.ctx)).toBe(1);
    expect([
      await jobsOf(stranded.lead.id),
      await jobsOf(requeued.lead.id),
      await jobsOf(orphan.lead.id),
    ]).toEqual([1, 1, 0]);
    expect(await healFailedDials(runtime.ctx)).toBe(0);
  });
});
