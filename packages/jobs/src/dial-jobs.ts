import { dialJobDelaySeconds } from "@redial/domain";
import { fromKysely, type PgBoss } from "pg-boss";
import { QUEUES } from "./catalog.ts";

type KyselyTransaction = Parameters<typeof fromKysely>[0];

/**
 * The lead's one queued dial job put at `at` through pg-boss's own upsert, in the caller's
 * transaction: what sql/job-table-writes.sql's redial_dial_job_put is verified against (the dial
 * loop's writers use that function, in the same statement as the lead). Tests and benches only.
 */
export async function scheduleDialJob(
  boss: PgBoss,
  trx: KyselyTransaction,
  leadId: number,
  at: Date,
  now: Date,
): Promise<void> {
  const result = await boss.upsert(
    QUEUES.dial.name,
    { leadId },
    {
      singletonKey: String(leadId),
      startAfter: dialJobDelaySeconds({ status: "active", nextAttemptAt: at, waitingReason: null }, now) ?? 0,
      db: fromKysely(trx),
    },
  );
  if (result.updated + result.inserted !== 1) {
    throw new Error(
      `Dial job for lead ${leadId} was not scheduled (updated ${result.updated}, inserted ${result.inserted}).`,
    );
  }
}
