import { fromKysely, type PgBoss } from "pg-boss";
import { QUEUES } from "./catalog.ts";

type KyselyTransaction = Parameters<typeof fromKysely>[0];

/** A dial job's delay from `now` until `at`, as pg-boss is given it: seconds to the millisecond, never negative. */
export function dialJobDelaySeconds(at: Date, now: Date): number {
  return Number(Math.max(0, (at.getTime() - now.getTime()) / 1000).toFixed(3));
}

/**
 * Put the lead's one queued dial job at `at`, in the caller's transaction: moves the queued job
 * when there is one, inserts it otherwise (a running dial job may coexist: the queue is stately).
 * The job is due `at − now` later by the database's clock, so the app's clock alone decides
 * (no app/database clock skew).
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
      startAfter: dialJobDelaySeconds(at, now),
      db: fromKysely(trx),
    },
  );
  if (result.updated + result.inserted !== 1) {
    throw new Error(
      `Dial job for lead ${leadId} was not scheduled (updated ${result.updated}, inserted ${result.inserted}).`,
    );
  }
}

/** The lead's queued (not yet running) dial job, if any. */
export async function findDialJob(
  boss: PgBoss,
  trx: KyselyTransaction,
  leadId: number,
): Promise<{ id: string; startAfter: Date } | undefined> {
  const [job] = await boss.findJobs(QUEUES.dial.name, {
    key: String(leadId),
    queued: true,
    limit: 1,
    db: fromKysely(trx),
  });
  return job ? { id: job.id, startAfter: job.startAfter } : undefined;
}

/** Delete the lead's queued dial job (lead completed or paused), in the caller's transaction. */
export async function cancelDialJob(boss: PgBoss, trx: KyselyTransaction, leadId: number): Promise<void> {
  const jobs = await boss.findJobs(QUEUES.dial.name, {
    key: String(leadId),
    queued: true,
    db: fromKysely(trx),
  });
  if (jobs.length === 0) return;
  await boss.deleteJob(
    QUEUES.dial.name,
    jobs.map((job) => job.id),
    { db: fromKysely(trx) },
  );
}
