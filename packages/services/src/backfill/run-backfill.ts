import type { ConvosoClient, ConvosoStatus, ConvosoStatusOverrides } from "@redial/convoso";
import type { Database } from "@redial/db";
import type { Kysely } from "kysely";
import type { RedialContext } from "../context.ts";
import { loadConvosoStatuses, refreshConvosoStatuses } from "../convoso-statuses.ts";
import { NothingToResume } from "./backfill-errors.ts";
import { type BackfillRun, createRun, findOpenRun, setRunPhase, tallyPhones } from "./backfill-run-store.ts";
import { summarizeRun } from "./backfill-summary.ts";
import type { BackfillProgress, BackfillSummary, CallSource } from "./backfill-types.ts";
import { checkPhones } from "./check-phones.ts";
import { withDryRunTables } from "./dry-run-tables.ts";
import { importCalls } from "./import-calls.ts";

/** What a backfill reads with; a real run also needs the full context (`ctx`) to write. */
export interface BackfillDeps {
  db: RedialContext["db"];
  calendar: RedialContext["calendar"];
  policy: RedialContext["policy"];
  log: RedialContext["log"];
  convoso: ConvosoClient;
  /** CONVOSO_STATUS_MAP's STATUS:treatment entries (the same reading as the status webhook). */
  statusOverrides?: ConvosoStatusOverrides | undefined;
  /** Required unless dryRun. */
  ctx?: RedialContext | undefined;
}

export interface BackfillOptions {
  source: CallSource;
  dryRun: boolean;
  /** Continue the open run of the same source and key (NothingToResume when there is none). */
  resume: boolean;
  /** Phones per Convoso batch (--batch-size, default 50). */
  batchSize: number;
  /** Calls per import transaction (default 200). */
  importBatchSize?: number;
  /** Put the phone lists in the summary: all of them (--json), or the first N of each. */
  listPhones?: number | "all" | undefined;
  /** Stops the run after the current batch; --resume continues it. */
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: BackfillProgress) => void) | undefined;
}

/**
 * Backfill from a call source: import every call as a call attempt (phase 1), then decide every
 * unique phone with Convoso and queue, complete or list it (phase 2). Checkpointed in PostgreSQL;
 * idempotent; a dry run does the same reads and writes nothing persistent.
 */
export async function runBackfill(deps: BackfillDeps, options: BackfillOptions): Promise<BackfillSummary> {
  if (options.dryRun) return withDryRunTables(deps.db, (conn) => runPhases(deps, options, conn));
  if (!deps.ctx)
    throw new Error("runBackfill: a real run needs the RedialContext (ctx); pass it or use dryRun");
  return runPhases(deps, options, deps.db);
}

async function runPhases(
  deps: BackfillDeps,
  options: BackfillOptions,
  db: Kysely<Database>,
): Promise<BackfillSummary> {
  const run = await openRun(deps, options, db);
  const summarize = (interrupted: boolean) =>
    summarizeRun(db, run, {
      dryRun: options.dryRun,
      interrupted,
      maxPerDay: deps.policy.maxPerDay,
      listPhones: options.listPhones,
    });
  if (run.phase === "import") {
    const calendar = await deps.calendar.get();
    const finished = await importCalls(
      {
        db,
        dryRun: options.dryRun,
        answeredMinSeconds: deps.policy.answeredMinSeconds,
        calendar,
        log: deps.log,
        importBatchSize: options.importBatchSize ?? 200,
        signal: options.signal,
        onProgress: options.onProgress,
      },
      run,
      options.source,
    );
    if (!finished) return summarize(true);
    await setRunPhase(db, run.id, "check");
    run.phase = "check";
  }
  if (run.phase === "check") {
    const tally = await tallyPhones(db, run.id);
    const finished = await checkPhones(
      {
        db,
        convoso: deps.convoso,
        statuses: await accountStatuses(deps, options.dryRun),
        statusOverrides: deps.statusOverrides,
        ctx: options.dryRun ? undefined : deps.ctx,
        batchSize: options.batchSize,
        totalPhones: tally.phones,
        signal: options.signal,
        onProgress: options.onProgress,
      },
      run.id,
      tally.phones - tally.unchecked,
    );
    if (!finished) return summarize(true);
    await setRunPhase(db, run.id, "done");
    run.phase = "done";
  }
  return summarize(false);
}

async function openRun(
  deps: BackfillDeps,
  options: BackfillOptions,
  db: Kysely<Database>,
): Promise<BackfillRun> {
  const { source } = options;
  if (options.resume) {
    if (options.dryRun) throw new NothingToResume(`${source.key} (a dry run keeps no checkpoint)`);
    const open = await findOpenRun(db, source.name, source.key);
    if (!open) throw new NothingToResume(source.key);
    deps.log.info({ runId: open.id, phase: open.phase }, "backfill: resuming");
    return open;
  }
  const open = options.dryRun ? undefined : await findOpenRun(db, source.name, source.key);
  if (open)
    deps.log.warn(
      { runId: open.id },
      "backfill: an interrupted run of the same source exists; --resume continues it",
    );
  return createRun(db, { source: source.name, key: source.key, options: { batchSize: options.batchSize } });
}

/**
 * The account's statuses classify a status by its flags: fetched now (and, in a real run, cached
 * for the other processes); when Convoso will not list them, the cached copy, else names decide.
 */
async function accountStatuses(deps: BackfillDeps, dryRun: boolean): Promise<ConvosoStatus[]> {
  try {
    return dryRun
      ? await deps.convoso.searchStatuses()
      : await refreshConvosoStatuses(deps.db, deps.convoso, deps.ctx?.now() ?? new Date());
  } catch (error) {
    const cached = await loadConvosoStatuses(deps.db);
    deps.log.warn(
      { err: error, cached: cached.statuses.length },
      "backfill: Convoso statuses unavailable; classifying with the cached table, else by name",
    );
    return cached.statuses;
  }
}
