import type { EventEmitter } from "node:events";
import type { ConvosoClient } from "@redial/convoso";
import type { Outcome } from "@redial/domain";
import { type PgBoss, parsePayload, QUEUES } from "@redial/jobs";
import type { WorkerMetrics } from "@redial/metrics";
import {
  compactReportRollups,
  type DialDependencies,
  dialLead,
  finishPendingBlandEvents,
  healFailedDial,
  healFailedDials,
  healSchedules,
  type RedialContext,
  reconcileOrphanCalls,
  runDailyReset,
  syncOutcomeToConvoso,
} from "@redial/services";
import type { JobResult } from "pg-boss";

export interface WorkerOptions {
  ctx: RedialContext;
  dial: DialDependencies;
  convoso?: { client: ConvosoClient; statusMap: Readonly<Record<Outcome, string>> } | undefined;
  concurrency: number;
  pollSeconds: number;
  healCron: string;
  /** Emits `dial` ({leadId, result}; {jobId, result: "error", message} when it failed) after each dial job, for tests and metrics. */
  events?: EventEmitter;
  metrics?: WorkerMetrics;
}

/**
 * How a worker fetches dial jobs (shared with the benchmark's pg-boss baseline): one fetch brings
 * up to `concurrency` due jobs, fetching again at once while batches come back full; the jobs
 * of a batch run side by side and each settles on its own.
 */
export function dialWorkOptions(concurrency: number, pollSeconds: number) {
  return {
    batchSize: concurrency,
    localConcurrency: 1,
    burstWhenBatchFull: true,
    pollingIntervalSeconds: pollSeconds,
    perJobResults: true,
  } as const;
}

/**
 * Fetch dial jobs (the fleet switch calls it when the fleet runs; `stopDialing` when it is paused).
 * Each job's start time comes with it: the due→dial lag is measured from it.
 */
export async function startDialing(boss: PgBoss, options: WorkerOptions): Promise<void> {
  await boss.work(
    QUEUES.dial.name,
    { ...dialWorkOptions(options.concurrency, options.pollSeconds), includeMetadata: true },
    (jobs) => Promise.all(jobs.map((job) => runDialJob(options, job.id, job.data, job.startAfter))),
  );
}

/** Stop fetching dial jobs; resolves once the running ones finished. */
export async function stopDialing(boss: PgBoss): Promise<void> {
  await boss.offWork(QUEUES.dial.name, { wait: true });
}

/** Register every consumer and cron of this worker process on pg-boss, dial jobs aside (startDialing). */
export async function registerJobHandlers(boss: PgBoss, options: WorkerOptions): Promise<void> {
  const { ctx } = options;

  // A dial job pg-boss failed (its worker stopped beating) is here within seconds: its lead gets a
  // job again at once. One our handler failed waits for the minute's heal-failed-dials sweep, so
  // a dial that keeps throwing is not retried in a tight loop.
  await boss.work(
    QUEUES.dialFailed.name,
    { pollingIntervalSeconds: 1, includeMetadata: true },
    async ([job]) => {
      if (!job || failedByOurHandler(job.sourceOutput)) return;
      const { leadId } = parsePayload("dialFailed", job.data);
      if (await healFailedDial(ctx, leadId))
        ctx.log.warn(
          { leadId, failure: job.sourceOutput },
          "a dial job failed (worker gone); its lead has a job again",
        );
    },
  );

  if (options.convoso) {
    const { client, statusMap } = options.convoso;
    await boss.work(
      QUEUES.convosoSync.name,
      { localConcurrency: 2, pollingIntervalSeconds: 2 },
      async ([job]) => {
        if (!job) return;
        const payload = parsePayload("convosoSync", job.data);
        const result = await syncOutcomeToConvoso(ctx, client, statusMap, payload).catch((error: unknown) => {
          options.metrics?.convosoSyncs.inc({ result: "error" });
          throw error;
        });
        options.metrics?.convosoSyncs.inc({ result: String(result) });
        ctx.log.debug({ ...payload, result }, "convoso sync");
      },
    );
  }

  await boss.work(QUEUES.dailyReset.name, async () => {
    const result = await runDailyReset(ctx);
    ctx.log.info(result, "daily reset");
  });
  await boss.work(QUEUES.heal.name, async () => {
    const healed = await healSchedules(ctx);
    if (healed > 0) ctx.log.warn({ healed }, "active leads without a dial job were given one");
  });

  await boss.work(QUEUES.healFailedDials.name, async () => {
    const healed = await healFailedDials(ctx);
    if (healed > 0) ctx.log.warn({ healed }, "leads whose dial job failed were given a new one");
  });
  await boss.work(QUEUES.reconcileOrphans.name, async () => {
    const looked = await reconcileOrphanCalls(ctx, options.dial);
    if (looked > 0)
      ctx.log.warn({ looked }, "calls of completed or paused leads reconciled past their deadline");
  });
  await boss.work(QUEUES.pendingWebhookEvents.name, async () => {
    const applied = await finishPendingBlandEvents(ctx);
    if (applied > 0) ctx.log.warn({ applied }, "webhook events left pending were applied again");
  });
  await boss.work(QUEUES.reportCompact.name, async () => {
    const folded = await compactReportRollups(ctx);
    ctx.log.debug({ folded }, "report rollups compacted");
  });

  const calendar = await ctx.calendar.get();
  await boss.schedule(QUEUES.dailyReset.name, "1 0 * * *", {}, { tz: calendar.timezone });
  await boss.schedule(QUEUES.heal.name, options.healCron, {});
  await boss.schedule(QUEUES.healFailedDials.name, "* * * * *", {});
  await boss.schedule(QUEUES.reconcileOrphans.name, "* * * * *", {});
  await boss.schedule(QUEUES.pendingWebhookEvents.name, "* * * * *", {});
  await boss.schedule(QUEUES.reportCompact.name, "* * * * *", {});
}

async function runDialJob(
  options: WorkerOptions,
  jobId: string,
  data: unknown,
  dueAt: Date,
): Promise<JobResult> {
  const { ctx } = options;
  try {
    const { leadId } = parsePayload("dial", data);
    const result = await dialLead(ctx, options.dial, leadId);
    ctx.log.debug({ leadId, result }, "dial job");
    options.metrics?.dialJobs.inc({ result });
    if (result === "placed")
      options.metrics?.dueToDialLag.observe(Math.max(0, Date.now() - dueAt.getTime()) / 1000);
    options.events?.emit("dial", { leadId, result });
    return { id: jobId, status: "completed", output: { result } };
  } catch (error) {
    // Never retried blindly: the heal sweep gives the lead a job again.
    ctx.log.error({ jobId, err: error }, "dial job failed");
    const message = error instanceof Error ? error.message : String(error);
    options.metrics?.dialJobs.inc({ result: "error" });
    options.events?.emit("dial", { jobId, result: "error", message });
    return { id: jobId, status: "failed", output: { message, failedBy: HANDLER_FAILURE } };
  }
}

/** Marks the output of a dial job our handler failed (pg-boss's own failures carry none). */
const HANDLER_FAILURE = "dial-handler";

function failedByOurHandler(output: object | null): boolean {
  return (output as { failedBy?: unknown } | null)?.failedBy === HANDLER_FAILURE;
}
