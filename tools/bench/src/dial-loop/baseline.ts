import { PreparingClient } from "@redial/db";
import { createBoss, type PgBoss, QUEUES } from "@redial/jobs";
import { dialWorkOptions } from "@redial/worker";
import { type CpuSample, cpuBetween, cpuSample, perUnit } from "./cpu.ts";
import type { ScratchDatabase } from "./scratch-database.ts";

export interface WorkerShape {
  /** In-process workers (each one pg-boss instance, as each worker process has). */
  workers: number;
  /** `localConcurrency` of each (WORKER_CONCURRENCY). */
  concurrency: number;
  /** `pollingIntervalSeconds` (WORKER_POLL_SECONDS). */
  pollSeconds: number;
}

export interface BaselineResult {
  jobs: number;
  seconds: number;
  jobsPerSecond: number;
  commits: number;
  commitsPerJob: number;
  /** CPU over the timed window, ms per job (Node: this process; PostgreSQL: the whole server). */
  cpuPerJob: CpuSample;
  /** jobs/s of every run, when this result is the median of several (`--baseline-runs`). */
  runsJobsPerSecond?: number[];
}

/** The run with the median rate (the lower middle one for an even count), listing every run's rate. */
export function medianRun(runs: readonly BaselineResult[]): BaselineResult {
  const sorted = [...runs].sort((a, b) => a.jobsPerSecond - b.jobsPerSecond);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!median) throw new Error("No baseline run.");
  return { ...median, runsJobsPerSecond: runs.map((run) => run.jobsPerSecond) };
}

const BASELINE_QUEUE = "bench-baseline";
/** Sends in flight at once (the webhook handlers of the loop also send concurrently). */
const SENDERS = 8;

/**
 * Raw pg-boss: `send()` N jobs one by one while W instances `work()` them with a no-op handler,
 * on a throwaway queue with the dial queue's options (stately, one singleton key per job) and
 * the dial worker's fetch settings (`dialWorkOptions`: batches, burst, polling interval). Timed from the
 * first send to the last handler; commits counted from before the instances start to after
 * they all stopped.
 */
export async function runBaseline(
  database: ScratchDatabase,
  shape: WorkerShape,
  jobs: number,
): Promise<BaselineResult> {
  const before = await database.settledCommits();
  const bosses: PgBoss[] = [];
  for (let i = 0; i < shape.workers; i++) {
    // The same factory and options as a worker process's runtime.
    const boss = createBoss(database.url, { supervise: true, schedule: true, pgClient: PreparingClient });
    boss.on("error", (error) => process.stderr.write(`bench baseline: pg-boss error: ${error.message}\n`));
    await boss.start();
    bosses.push(boss);
  }
  const [first] = bosses;
  if (!first) throw new Error("--workers must be at least 1.");
  await first.createQueue(BASELINE_QUEUE, { ...QUEUES.dial.options });

  let done = 0;
  let finished: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => {
    finished = resolve;
  });
  for (const boss of bosses) {
    await boss.work(BASELINE_QUEUE, dialWorkOptions(shape.concurrency, shape.pollSeconds), async (batch) =>
      batch.map((job) => {
        done++;
        if (done === jobs) finished();
        return { id: job.id, status: "completed" as const };
      }),
    );
  }

  const started = performance.now();
  const cpuBefore = cpuSample();
  let next = 0;
  const sender = async (boss: PgBoss) => {
    while (next < jobs) {
      const key = next++;
      const id = await boss.send(BASELINE_QUEUE, { leadId: key + 1 }, { singletonKey: String(key + 1) });
      if (!id) throw new Error(`pg-boss refused baseline job ${key + 1} (singleton conflict?)`);
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, (_, i) => sender(bosses[i % bosses.length] ?? first)));
  await allDone;
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuBetween(cpuBefore, cpuSample());

  // Every handler returned; wait for the last completions, then leave no queue behind.
  await Promise.all(bosses.map((boss) => boss.offWork(BASELINE_QUEUE, { wait: true })));
  await first.deleteQueue(BASELINE_QUEUE);
  await Promise.all(bosses.map((boss) => boss.stop({ graceful: true, timeout: 10_000 })));
  const commits = (await database.settledCommits()) - before;
  return {
    jobs,
    seconds,
    jobsPerSecond: jobs / seconds,
    commits,
    commitsPerJob: commits / jobs,
    cpuPerJob: perUnit(cpu, jobs),
  };
}
