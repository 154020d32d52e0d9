import type { Logger } from "@redial/config";
import type { Database } from "@redial/db";
import { inTransaction } from "@redial/db";
import type { SchedulerConfig } from "@redial/domain";
import type { Kysely } from "kysely";
import { reasonOf } from "./backfill-errors.ts";
import { addRunPhones, type BackfillRun, recordFailures, saveCheckpoint } from "./backfill-run-store.ts";
import type {
  BackfillProgress,
  CallSource,
  FailureStage,
  ImportCounters,
  SourceItem,
} from "./backfill-types.ts";
import { type ImportableCall, toImportableCall } from "./call-to-attempt.ts";
import { type BatchImport, planImportBatch, writeImportBatch } from "./import-store.ts";

export interface ImportSettings {
  db: Kysely<Database>;
  dryRun: boolean;
  answeredMinSeconds: number;
  calendar: SchedulerConfig;
  log: Logger;
  /** Calls per transaction (default 200). */
  importBatchSize: number;
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: BackfillProgress) => void) | undefined;
}

type Failure = { stage: FailureStage; item: string; reason: string };

/**
 * Phase 1: stream the source, a batch at a time; each batch's attempts, phones, failures and the
 * checkpoint (cursor + counters) commit together, so an interrupted run resumes exactly after its
 * last committed batch. Memory holds one batch. Returns false when stopped by the signal (checked
 * after each commit).
 */
export async function importCalls(
  settings: ImportSettings,
  run: BackfillRun,
  source: CallSource,
): Promise<boolean> {
  const estimate = await source.estimate?.().catch(() => undefined);
  let batch: SourceItem[] = [];
  const progress = () =>
    settings.onProgress?.({
      phase: "import",
      done: run.counters.fetched + run.counters.failed,
      total: estimate,
    });
  for await (const item of source.read(run.cursor)) {
    batch.push(item);
    if (batch.length < settings.importBatchSize) continue;
    await commitBatch(settings, run, source, batch);
    batch = [];
    progress();
    if (settings.signal?.aborted) return false;
  }
  if (batch.length > 0) await commitBatch(settings, run, source, batch);
  progress();
  return true;
}

async function commitBatch(
  settings: ImportSettings,
  run: BackfillRun,
  source: CallSource,
  items: readonly SourceItem[],
): Promise<void> {
  const counters: ImportCounters = { ...run.counters };
  const failures: Failure[] = [];
  const calls: ImportableCall[] = [];
  for (const item of items) {
    if (item.kind === "bad") {
      failures.push({ stage: item.stage, item: item.item, reason: item.reason });
      continue;
    }
    counters.fetched++;
    if (item.fullFetched) counters.fullFetched++;
    const verdict = toImportableCall(item.call, settings);
    if (verdict.kind === "importable") calls.push(verdict.call);
    else if (verdict.kind === "not_ended") counters.notEnded++;
    else failures.push({ stage: "call", item: verdict.item, reason: verdict.reason });
  }
  const cursor = items.reduce((c, item) => source.advance(c, item.position), run.cursor);
  let committed = counters;
  const checkpoint: Checkpoint = async (db, result) => {
    const next: ImportCounters = {
      ...counters,
      imported: counters.imported + result.imported,
      alreadyKnown: counters.alreadyKnown + result.alreadyKnown,
      leadsCreated: counters.leadsCreated + result.leadsCreated,
      failed: counters.failed + failures.length,
    };
    await recordFailures(db, run.id, failures);
    await saveCheckpoint(db, run.id, { cursor, counters: next });
    committed = next;
  };
  const write = settings.dryRun ? planBatch : writeBatch;
  await write(settings, run, source.name, calls, failures, checkpoint);
  run.cursor = cursor;
  run.counters = committed;
}

/** Writes the batch's failures and checkpoint (in the batch's transaction when there is one). */
type Checkpoint = (db: Kysely<Database>, result: BatchImport) => Promise<void>;

/** Dry run: the same questions, answered read-only; only the session's temporary tables change. */
async function planBatch(
  settings: ImportSettings,
  run: BackfillRun,
  _source: string,
  calls: readonly ImportableCall[],
  _failures: Failure[],
  checkpoint: Checkpoint,
): Promise<void> {
  const plan = await planImportBatch(settings.db, run.id, calls);
  await addRunPhones(settings.db, run.id, plan.phones);
  await checkpoint(settings.db, plan);
}

/** One transaction for the batch; if it fails, one per call so a single bad call is isolated and listed. */
async function writeBatch(
  settings: ImportSettings,
  run: BackfillRun,
  source: string,
  calls: readonly ImportableCall[],
  failures: Failure[],
  checkpoint: Checkpoint,
): Promise<void> {
  try {
    await inTransaction(settings.db, async (trx) => {
      const result = await writeImportBatch(trx, calls, source);
      await addRunPhones(trx, run.id, result.phones);
      await checkpoint(trx, result);
    });
    return;
  } catch (error) {
    settings.log.warn({ err: error }, "backfill: batch failed, importing its calls one by one");
  }
  const total: BatchImport = { imported: 0, alreadyKnown: 0, leadsCreated: 0, phones: [] };
  for (const call of calls) {
    try {
      const one = await inTransaction(settings.db, async (trx) => {
        const result = await writeImportBatch(trx, [call], source);
        await addRunPhones(trx, run.id, result.phones);
        return result;
      });
      total.imported += one.imported;
      total.alreadyKnown += one.alreadyKnown;
      total.leadsCreated += one.leadsCreated;
    } catch (error) {
      failures.push({ stage: "call", item: call.callId, reason: reasonOf(error) });
    }
  }
  await inTransaction(settings.db, (trx) => checkpoint(trx, total));
}
