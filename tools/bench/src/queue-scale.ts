/**
 * Does the dial queue slow down as active leads pile up? For 0, 20,000 and 100,000 queued dial
 * jobs due tomorrow (the other leads of a campaign), the median of 30 rounds of: fetching a batch
 * of 10 due jobs (pg-boss's fetch, as a worker does) and rescheduling one lead's queued job
 * (scheduleDialJob: pg-boss's upsert, every dial and every result). Ratios are against the empty
 * queue of the same run; the last line reschedules at the largest size again without our index
 * on the id of queued jobs (redial_queued_job_id), which pg-boss's upsert needs.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --experimental-strip-types tools/bench/src/queue-scale.ts [0 20000 100000]
 *
 * DATABASE_URL names a server; a scratch database is created there and dropped.
 */
import { createDb, migrate, PreparingClient } from "@redial/db";
import {
  createBoss,
  type PgBoss,
  prepareQueues,
  QUEUED_JOB_ID_INDEX,
  QUEUES,
  scheduleDialJob,
} from "@redial/jobs";
import { sql } from "kysely";
import { createScratchDatabase } from "./scratch-database.ts";

const ROUNDS = 30;
const BATCH = 10;
/** Lead ids whose queued jobs the reschedule rounds move. */
const MOVED = 2_000_000;

const sizes = process.argv.slice(2).map(Number);
const scratch = await createScratchDatabase("redial_queue_bench");
try {
  await run(scratch.url, sizes.length > 0 ? sizes : [0, 20_000, 100_000]);
} finally {
  await scratch.drop();
}

async function run(url: string, sizes: number[]): Promise<void> {
  await migrate(url);
  await prepareQueues(url);
  const boss = createBoss(url, { pgClient: PreparingClient });
  boss.on("error", (error) => process.stderr.write(`pg-boss error: ${error.message}\n`));
  await boss.start();
  const db = createDb(url, { max: 1 });
  try {
    // The leads whose jobs are moved: queued at every size.
    await boss.insert(
      QUEUES.dial.name,
      Array.from({ length: ROUNDS }, (_, round) => ({
        data: { leadId: MOVED + round },
        singletonKey: String(MOVED + round),
        startAfter: new Date(Date.now() + 86_400_000),
      })),
    );
    let base: { fetch: number; reschedule: number } | undefined;
    let queued = 0;
    for (const size of [...sizes].sort((a, b) => a - b)) {
      queued = await queueFutureJobs(boss, queued, size);
      await sql`ANALYZE pgboss.job`.execute(db);
      const fetch = await medianFetch(boss);
      const reschedule = await medianReschedule(boss, db);
      base ??= { fetch, reschedule };
      console.log(
        `${size.toLocaleString("en-US").padStart(8)} queued jobs: fetch ${fetch.toFixed(2)} ms (×${(fetch / base.fetch).toFixed(2)}), reschedule ${reschedule.toFixed(2)} ms (×${(reschedule / base.reschedule).toFixed(2)})`,
      );
    }
    await sql.raw(`DROP INDEX pgboss.${QUEUED_JOB_ID_INDEX}`).execute(db);
    const without = await medianReschedule(boss, db);
    console.log(
      `${queued.toLocaleString("en-US").padStart(8)} queued jobs, without ${QUEUED_JOB_ID_INDEX}: reschedule ${without.toFixed(2)} ms (×${(without / (base?.reschedule ?? without)).toFixed(2)})`,
    );
  } finally {
    await db.destroy();
    await boss.stop({ graceful: false });
  }
}

/** Jobs of leads 1,000,000 + i, due in a day, until `size` are queued. */
async function queueFutureJobs(boss: PgBoss, from: number, size: number): Promise<number> {
  const startAfter = new Date(Date.now() + 86_400_000);
  for (let start = from; start < size; start += 5000) {
    const count = Math.min(5000, size - start);
    await boss.insert(
      QUEUES.dial.name,
      Array.from({ length: count }, (_, i) => ({
        data: { leadId: 1_000_000 + start + i },
        singletonKey: String(1_000_000 + start + i),
        startAfter,
      })),
    );
  }
  return Math.max(from, size);
}

async function medianFetch(boss: PgBoss): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await boss.insert(
      QUEUES.dial.name,
      Array.from({ length: BATCH }, (_, i) => ({
        data: { leadId: round * BATCH + i + 1 },
        singletonKey: String(round * BATCH + i + 1),
      })),
    );
    const started = performance.now();
    const jobs = await boss.fetch(QUEUES.dial.name, { batchSize: BATCH });
    times.push(performance.now() - started);
    if (jobs.length !== BATCH) throw new Error(`fetched ${jobs.length} of ${BATCH} due jobs`);
    await boss.complete(
      QUEUES.dial.name,
      jobs.map((job) => job.id),
    );
  }
  return median(times);
}

/** Move a lead's queued job, in a transaction of its own (as the loop does). */
async function medianReschedule(boss: PgBoss, db: ReturnType<typeof createDb>): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const leadId = MOVED + round;
    const at = new Date(Date.now() + 3_600_000 + round * 1000);
    const started = performance.now();
    await db.transaction().execute((trx) => scheduleDialJob(boss, trx, leadId, at, new Date()));
    times.push(performance.now() - started);
  }
  return median(times);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
