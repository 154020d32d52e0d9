import { EventEmitter } from "node:events";
import { createBlandClient } from "@redial/bland";
import type { Logger } from "@redial/config";
import { createConvosoClient, parseOutcomeStatusMap, parseStatusOverrides } from "@redial/convoso";
import { listenForNotifications } from "@redial/db";
import { collectDefaultMetrics, createWorkerMetrics, Registry, startMetricsServer } from "@redial/metrics";
import { createNotifier } from "@redial/notify";
import {
  convosoStatusOf,
  DIAL_SLOT_FREED_CHANNEL,
  ensureDialSlots,
  keepConvosoStatusesFresh,
  policyRuntimeOptions,
  startRuntime,
  watchDialSlots,
} from "@redial/services";
import Bottleneck from "bottleneck";
import { Redis } from "ioredis";
import { createBlandDialer } from "./bland-dialer.ts";
import { instrumentBlandClient, loggingDialer } from "./bland-instruments.ts";
import type { WorkerConfig } from "./config.ts";
import { type FleetSwitch, startFleetSwitch } from "./fleet-switch.ts";
import { startHealthServer } from "./health-server.ts";
import { registerJobHandlers, startDialing, stopDialing, type WorkerOptions } from "./job-handlers.ts";
import { registerOperationsHandlers } from "./operations-handlers.ts";

export interface RunningWorker {
  events: EventEmitter;
  /** This worker's heartbeat id and whether it fetches dial jobs now (the fleet's pause switch). */
  fleet: FleetSwitch;
  registry: Registry;
  /** Where its /metrics is served (WORKER_METRICS_PORT), if it is. */
  metricsUrl: string | undefined;
  stop(): Promise<void>;
}

/**
 * One worker process: pg-boss consumers for dial, convoso-sync, daily-reset and heal. Any number
 * run side by side; the fleet limits are counted in PostgreSQL and the request pace is shared
 * through Redis when REDIS_URL is set.
 */
export async function startWorker(config: WorkerConfig, log: Logger): Promise<RunningWorker> {
  const runtime = await startRuntime({
    databaseUrl: config.DATABASE_URL,
    preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
    optimisticWrites: config.DATABASE_OPTIMISTIC_WRITES,
    ...policyRuntimeOptions(config),
    log,
    supervise: true,
    syncToConvoso: config.CONVOSO_SYNC_ENABLED,
    convosoStatusOverrides: parseStatusOverrides(config.CONVOSO_STATUS_MAP ?? ""),
    poolSize: Math.max(4, config.WORKER_CONCURRENCY + 2),
  });
  await ensureDialSlots(runtime.ctx.db, config.DIAL_MAX_CONCURRENT);
  const limiter = createDialLimiter(config);
  // Dial jobs at DIAL_MAX_CONCURRENT wait here for a slot given back, keeping their turn.
  const slots = watchDialSlots(runtime.ctx.db, config.DIAL_MAX_CONCURRENT, {
    everyMs: SLOT_READ_MS,
    patienceMs: SLOT_PATIENCE_MS,
    onError: (error) => log.warn({ err: error }, "could not read the dial slots"),
  });
  const slotsFreed = await listenForNotifications(
    config.DATABASE_URL,
    DIAL_SLOT_FREED_CHANNEL,
    () => slots.wake(),
    (error) => log.warn({ err: error }, "dial slots: LISTEN connection lost; the timed read still runs"),
  ).catch((error: unknown) => {
    log.warn({ err: error }, "dial slots: cannot LISTEN; the timed read runs alone");
    return undefined;
  });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = createWorkerMetrics(registry);
  const bland = instrumentBlandClient(
    createBlandClient({
      baseUrl: config.BLAND_API_URL,
      apiKey: config.BLAND_API_KEY,
      timeoutMs: config.BLAND_TIMEOUT_MS,
    }),
    metrics,
  );
  const convoso = config.CONVOSO_AUTH_TOKEN
    ? createConvosoClient({
        baseUrl: config.CONVOSO_API_URL,
        authToken: config.CONVOSO_AUTH_TOKEN,
        requestsPerSecond: config.CONVOSO_RATE_PER_SECOND,
      })
    : undefined;
  // The account's status table, cached in PostgreSQL for every process (the API reads it too).
  const statusRefresh = convoso
    ? keepConvosoStatusesFresh(runtime.ctx, convoso, config.CONVOSO_STATUS_REFRESH_MINUTES * 60_000)
    : undefined;
  await statusRefresh?.first;
  const events = new EventEmitter();
  const options: WorkerOptions = {
    ctx: runtime.ctx,
    dial: {
      dialer: loggingDialer(
        createBlandDialer({
          client: bland,
          limiter,
          webhookUrl: new URL("/v1/webhooks/bland", config.PUBLIC_URL).toString(),
          pathwayId: config.BLAND_PATHWAY_ID,
          task: config.BLAND_TASK,
          from: config.BLAND_FROM_NUMBER,
          maxDurationMinutes: config.BLAND_MAX_DURATION_MINUTES,
        }),
        log,
        metrics,
      ),
      retryNotPlacedAfterMs: config.DIAL_RETRY_NOT_PLACED_SECONDS * 1000,
      slotFreed: (since) => slots.freed(since),
      limits: {
        maxConcurrent: config.DIAL_MAX_CONCURRENT,
        maxPerHour: config.DIAL_MAX_PER_HOUR ?? null,
        maxPerDay: config.DIAL_MAX_PER_DAY ?? null,
      },
      ...(convoso && config.CONVOSO_PREDIAL_CHECK
        ? { preDialCheck: (phone: string) => convosoStatusOf(runtime.ctx, convoso, phone) }
        : {}),
    },
    convoso:
      convoso && config.CONVOSO_SYNC_ENABLED
        ? { client: convoso, statusMap: parseOutcomeStatusMap(config.CONVOSO_STATUS_MAP ?? "") }
        : undefined,
    concurrency: config.WORKER_CONCURRENCY,
    pollSeconds: config.WORKER_POLL_SECONDS,
    healCron: config.HEAL_CRON,
    events,
    metrics,
  };
  await registerJobHandlers(runtime.ctx.boss, options);
  const notifier = createNotifier({
    smtpUrl: config.SMTP_URL,
    emailFrom: config.REPORT_EMAIL_FROM,
    emailTo: config.REPORT_EMAIL_TO,
    slackWebhookUrl: config.SLACK_WEBHOOK_URL,
  });
  await registerOperationsHandlers(runtime.ctx.boss, {
    ctx: runtime.ctx,
    notifier,
    spendLimit: config.DAILY_SPEND_LIMIT ?? null,
    thresholds: {
      noDialMinutes: config.ALERT_NO_DIAL_MINUTES,
      blandErrorRate: config.ALERT_BLAND_ERROR_RATE,
      blandMinDials: config.ALERT_BLAND_MIN_DIALS,
      deadLettersPerHour: config.ALERT_DEAD_LETTERS_PER_HOUR,
      webhookFailures: config.ALERT_WEBHOOK_FAILURES,
    },
    dailyReportTime: config.DAILY_REPORT_TIME,
  });
  const fleet = await startFleetSwitch({
    ctx: runtime.ctx,
    databaseUrl: config.DATABASE_URL,
    beatSeconds: config.WORKER_HEARTBEAT_SECONDS,
    startDialing: () => startDialing(runtime.ctx.boss, options),
    stopDialing: () => stopDialing(runtime.ctx.boss),
    events,
  });
  const metricsServer =
    config.WORKER_METRICS_PORT === undefined
      ? undefined
      : await startMetricsServer({
          registry,
          port: config.WORKER_METRICS_PORT,
          host: config.WORKER_METRICS_HOST,
          tokens: config.API_KEYS?.map((k) => k.key) ?? [],
        });
  const health = config.WORKER_HEALTH_PORT
    ? await startHealthServer(runtime.ctx, {
        port: config.WORKER_HEALTH_PORT,
        host: config.WORKER_HEALTH_HOST,
      })
    : undefined;
  log.info(
    {
      concurrency: config.WORKER_CONCURRENCY,
      sharedLimiter: Boolean(config.REDIS_URL),
      healthPort: config.WORKER_HEALTH_PORT,
      workerId: fleet.workerId,
      dialing: fleet.dialing(),
      metrics: metricsServer?.url,
    },
    "worker started",
  );
  return {
    events,
    fleet,
    registry,
    metricsUrl: metricsServer?.url,
    stop: async () => {
      statusRefresh?.stop();
      await health?.close();
      await metricsServer?.close();
      await fleet.stop();
      slots.stop();
      await slotsFreed?.close();
      await runtime.stop(workerStopGraceMs(config));
      notifier.close();
      await limiter.disconnect?.();
    },
  };
}

/** How often a worker with dial jobs waiting at DIAL_MAX_CONCURRENT reads the slots. */
const SLOT_READ_MS = 100;
/**
 * How long a dial job waits for a slot before its lead goes back to the schedule: well within the
 * dial queue's expireInSeconds (120 s), so a long wait never fails the job.
 */
const SLOT_PATIENCE_MS = 30_000;

/** How long a stopping worker waits for its running jobs: one Bland request (its timeout) and the writes around it. */
export function workerStopGraceMs(config: Pick<WorkerConfig, "BLAND_TIMEOUT_MS">): number {
  return config.BLAND_TIMEOUT_MS + 10_000;
}

/** Requests to Bland, paced at DIAL_RATE_PER_SECOND across every worker sharing REDIS_URL. */
export function createDialLimiter(
  config: Pick<WorkerConfig, "DIAL_RATE_PER_SECOND" | "REDIS_URL">,
): Bottleneck {
  const minTime = Math.ceil(1000 / config.DIAL_RATE_PER_SECOND);
  if (!config.REDIS_URL) return new Bottleneck({ minTime });
  return new Bottleneck({
    id: "redial-bland-requests",
    minTime,
    datastore: "ioredis",
    clearDatastore: false,
    Redis,
    clientOptions: config.REDIS_URL,
  } as Bottleneck.ConstructorOptions);
}
