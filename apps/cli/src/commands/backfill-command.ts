import { createBlandClient } from "@redial/bland";
import { createLogger } from "@redial/config";
import { createConvosoClient, parseStatusOverrides } from "@redial/convoso";
import { createDb } from "@redial/db";
import {
  type BackfillDeps,
  type BackfillProgress,
  type BackfillSummary,
  blandCallSource,
  type CallSource,
  campaignDayStartMs,
  campaignRange,
  databaseCalendar,
  jsonlCallSource,
  policyFromEnv,
  reconcileAfterMs,
  runBackfill,
  startRuntime,
  webhookEventSource,
} from "@redial/services";
import {
  type BlandBackfillEnv,
  parseBlandBackfillEnv,
  parseWebhookLogsEnv,
  type WebhookLogsEnv,
} from "./backfill-env.ts";
import { createProgressReporter } from "./backfill-progress.ts";
import { summaryJson, summaryTable } from "./backfill-summary-output.ts";

/** The command's edges: environment, output, terminal, and (tests, Ctrl-C) a way to stop it. */
export interface BackfillIo {
  env: Record<string, string | undefined>;
  /** The summary (stdout). */
  write: (text: string) => void;
  /** Progress lines (stderr). */
  writeProgress: (line: string) => void;
  isTTY: boolean;
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: BackfillProgress) => void) | undefined;
}

interface CommonFlags {
  dryRun?: boolean;
  resume?: boolean;
  json?: boolean;
  batchSize?: string | number;
  importBatchSize?: string | number;
}

export interface BlandFlags extends CommonFlags {
  from: string;
  to?: string;
  fullCalls?: boolean;
  concurrency?: string | number;
}

export interface WebhookLogsFlags extends CommonFlags {
  file?: string;
  from?: string;
}

/** `redial backfill bland --from --to`: Bland's call history into our tables and the queue. */
export async function backfillBland(flags: BlandFlags, io: BackfillIo): Promise<BackfillSummary> {
  const env = parseBlandBackfillEnv(io.env);
  return withDeps(env, flags, io, async (deps) => {
    const calendar = await deps.calendar.get();
    const range = campaignRange(flags.from, flags.to, calendar.timezone, new Date());
    const bland = createBlandClient({ baseUrl: env.BLAND_API_URL, apiKey: env.BLAND_API_KEY });
    return blandCallSource(bland, {
      fromMs: range.fromMs,
      toMs: range.toMs,
      key: range.key,
      concurrency: positiveInt(flags.concurrency, 8, "--concurrency"),
      fullCalls: flags.fullCalls ?? false,
    });
  });
}

/** `redial backfill webhook-logs [--file]`: a JSON Lines file of call objects, or our stored webhook events. */
export async function backfillWebhookLogs(flags: WebhookLogsFlags, io: BackfillIo): Promise<BackfillSummary> {
  const env = parseWebhookLogsEnv(io.env);
  return withDeps(env, flags, io, async (deps) => {
    const calendar = await deps.calendar.get();
    const fromMs = flags.from === undefined ? undefined : campaignDayStartMs(flags.from, calendar.timezone);
    return flags.file ? jsonlCallSource(flags.file, { fromMs }) : webhookEventSource(deps.db, { fromMs });
  });
}

async function withDeps(
  env: BlandBackfillEnv | WebhookLogsEnv,
  flags: CommonFlags,
  io: BackfillIo,
  sourceOf: (deps: BackfillDeps) => Promise<CallSource>,
): Promise<BackfillSummary> {
  const batchSize = positiveInt(flags.batchSize, 50, "--batch-size");
  const dryRun = flags.dryRun ?? false;
  const opened = await openDeps(env, dryRun, flags.json ? "silent" : env.LOG_LEVEL);
  const progress = createProgressReporter({ isTTY: io.isTTY, write: io.writeProgress });
  try {
    const summary = await runBackfill(opened.deps, {
      source: await sourceOf(opened.deps),
      dryRun,
      resume: flags.resume ?? false,
      batchSize,
      importBatchSize: positiveInt(flags.importBatchSize, 200, "--import-batch-size"),
      listPhones: flags.json ? "all" : 20,
      signal: io.signal,
      onProgress: (p) => {
        progress.update(p);
        io.onProgress?.(p);
      },
    });
    progress.stop();
    io.write(flags.json ? summaryJson(summary) : summaryTable(summary));
    return summary;
  } finally {
    progress.stop();
    await opened.close();
  }
}

/** A real run gets the full runtime (queue included); a dry run only a small read pool. */
async function openDeps(
  env: BlandBackfillEnv | WebhookLogsEnv,
  dryRun: boolean,
  level: string,
): Promise<{ deps: BackfillDeps; close: () => Promise<void> }> {
  const log = createLogger({ name: "backfill", level, pretty: false });
  const policy = policyFromEnv(env);
  const convoso = createConvosoClient({
    baseUrl: env.CONVOSO_API_URL,
    authToken: env.CONVOSO_AUTH_TOKEN,
    requestsPerSecond: env.CONVOSO_RATE_PER_SECOND,
  });
  const statusOverrides = parseStatusOverrides(env.CONVOSO_STATUS_MAP ?? "");
  if (dryRun) {
    const db = createDb(env.DATABASE_URL, { max: 3 });
    return {
      deps: { db, calendar: databaseCalendar(db), policy, log, convoso, statusOverrides },
      close: () => db.destroy(),
    };
  }
  const runtime = await startRuntime({
    databaseUrl: env.DATABASE_URL,
    policy,
    reconcileAfterMs: reconcileAfterMs(env),
    clockOffsetMs: env.CLOCK_OFFSET_SECONDS * 1000,
    log,
    poolSize: 4,
    convosoStatusOverrides: statusOverrides,
  });
  const { ctx } = runtime;
  return {
    deps: { db: ctx.db, calendar: ctx.calendar, policy, log, convoso, ctx, statusOverrides },
    close: () => runtime.stop(),
  };
}

function positiveInt(value: string | number | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a whole number ≥ 1, got "${value}"`);
  return n;
}
