import type { Database } from "@redial/db";
import type { Kysely } from "kysely";
import { type BackfillRun, listFailures, listRunPhones, tallyPhones } from "./backfill-run-store.ts";
import type { BackfillSummary } from "./backfill-types.ts";

const FAILURES_SHOWN = 100;

/** The seed's list, from the run's checkpoint (import) and its phones' stored outcomes (check). */
export async function summarizeRun(
  db: Kysely<Database>,
  run: BackfillRun,
  options: {
    dryRun: boolean;
    interrupted: boolean;
    maxPerDay: number;
    listPhones: number | "all" | undefined;
  },
): Promise<BackfillSummary> {
  const t = await tallyPhones(db, run.id);
  const n = (record: Record<string, number>, key: string) => record[key] ?? 0;
  const added = n(t.result, "added");
  const alreadyQueued = n(t.result, "already_queued");
  const summary: BackfillSummary = {
    runId: options.dryRun ? null : run.id,
    source: run.source,
    key: run.key,
    dryRun: options.dryRun,
    interrupted: options.interrupted,
    calls: run.counters,
    uniquePhones: t.phones,
    convoso: {
      found: n(t.convoso, "found"),
      notFound: n(t.convoso, "not_found"),
      errors: n(t.convoso, "error"),
      skipped: n(t.convoso, "skipped"),
    },
    decisions: {
      shouldRedial: n(t.decision, "redial"),
      skipSale: n(t.decision, "sale"),
      skipDnc: n(t.decision, "dnc"),
      notFound: n(t.decision, "not_found"),
      errors: n(t.decision, "error"),
    },
    queue: {
      added,
      alreadyQueued,
      keptCompleted: n(t.result, "kept_completed"),
      keptPaused: n(t.result, "kept_paused"),
    },
    leadsCompleted: { sale: n(t.result, "completed_sale"), dnc: n(t.result, "completed_dnc") },
    dncPhonesAdded: t.dncAdded,
    maxPerDay: options.maxPerDay,
    expectedDailyCalls: (added + alreadyQueued) * options.maxPerDay,
    failures: await listFailures(db, run.id, FAILURES_SHOWN),
  };
  if (options.listPhones !== undefined) summary.phones = await phoneLists(db, run.id, options.listPhones);
  return summary;
}

/** Each list in phone order, at most `limit` long ("all": complete). */
async function phoneLists(
  db: Kysely<Database>,
  runId: number,
  max: number | "all",
): Promise<NonNullable<BackfillSummary["phones"]>> {
  const limit = max === "all" ? undefined : max;
  const phones = async (decision: string, result?: string) =>
    (await listRunPhones(db, runId, { decision, limit, ...(result === undefined ? {} : { result }) })).map(
      (p) => p.phone,
    );
  return {
    added: await phones("redial", "added"),
    alreadyQueued: await phones("redial", "already_queued"),
    skipSale: await phones("sale"),
    skipDnc: await phones("dnc"),
    notFound: await listRunPhones(db, runId, { decision: "not_found", limit }),
    errors: await listRunPhones(db, runId, { decision: "error", limit }),
  };
}
