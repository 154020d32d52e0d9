import type { Database } from "@redial/db";
import { type Kysely, sql } from "kysely";
import { withBackfillTables } from "./backfill-schema.ts";
import type { BackfillSourceName, FailureStage, ImportCounters, PhoneListEntry } from "./backfill-types.ts";
import { EMPTY_COUNTERS } from "./backfill-types.ts";

/** Repository of backfill_runs / backfill_phones / backfill_failures (plain functions, db first). */

export interface BackfillRun {
  id: number;
  source: BackfillSourceName;
  key: string;
  phase: "import" | "check" | "done";
  cursor: unknown;
  counters: ImportCounters;
}

export interface RunPhone {
  phone: string;
  leadId: number | null;
  historyFinal: "SALE" | "DNC" | null;
}

type Db = Kysely<Database>;

export async function createRun(
  db: Db,
  run: { source: BackfillSourceName; key: string; options: Record<string, unknown> },
): Promise<BackfillRun> {
  const row = await withBackfillTables(db)
    .insertInto("backfill_runs")
    .values({
      source: run.source,
      source_key: run.key,
      counters: JSON.stringify(EMPTY_COUNTERS),
      options: JSON.stringify(run.options),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    source: run.source,
    key: run.key,
    phase: "import",
    cursor: null,
    counters: { ...EMPTY_COUNTERS },
  };
}

/** The latest unfinished run over the same source and key (what --resume continues). */
export async function findOpenRun(
  db: Db,
  source: BackfillSourceName,
  key: string,
): Promise<BackfillRun | undefined> {
  const row = await withBackfillTables(db)
    .selectFrom("backfill_runs")
    .selectAll()
    .where("source", "=", source)
    .where("source_key", "=", key)
    .where("finished_at", "is", null)
    .orderBy("id", "desc")
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    source: row.source,
    key: row.source_key,
    phase: row.phase,
    cursor: row.cursor,
    counters: { ...EMPTY_COUNTERS, ...(row.counters as Partial<ImportCounters>) },
  };
}

/** Written in the transaction of the batch it describes, so a crash never double-counts. */
export async function saveCheckpoint(
  db: Db,
  runId: number,
  checkpoint: { cursor: unknown; counters: ImportCounters },
): Promise<void> {
  await withBackfillTables(db)
    .updateTable("backfill_runs")
    .set({
      cursor: JSON.stringify(checkpoint.cursor ?? null),
      counters: JSON.stringify(checkpoint.counters),
      updated_at: sql`now()`,
    })
    .where("id", "=", runId)
    .execute();
}

export async function setRunPhase(db: Db, runId: number, phase: "check" | "done"): Promise<void> {
  await withBackfillTables(db)
    .updateTable("backfill_runs")
    .set({ phase, updated_at: sql`now()`, ...(phase === "done" ? { finished_at: sql`now()` } : {}) })
    .where("id", "=", runId)
    .execute();
}

/** Add the batch's phones to the run (a phone met again keeps its lead; DNC beats SALE). Returns how many were new. */
export async function addRunPhones(db: Db, runId: number, phones: readonly RunPhone[]): Promise<number> {
  if (phones.length === 0) return 0;
  const rows = await withBackfillTables(db)
    .insertInto("backfill_phones")
    .values(
      phones.map((p) => ({
        run_id: runId,
        phone: p.phone,
        lead_id: p.leadId,
        history_final: p.historyFinal,
      })),
    )
    .onConflict((oc) =>
      oc.columns(["run_id", "phone"]).doUpdateSet({
        lead_id: sql`coalesce(backfill_phones.lead_id, excluded.lead_id)`,
        history_final: sql`CASE
          WHEN 'DNC' IN (backfill_phones.history_final, excluded.history_final) THEN 'DNC'
          WHEN 'SALE' IN (backfill_phones.history_final, excluded.history_final) THEN 'SALE' END`,
      }),
    )
    .returning(sql<boolean>`(xmax = 0)`.as("inserted"))
    .execute();
  return rows.filter((row) => row.inserted).length;
}

export async function recordFailures(
  db: Db,
  runId: number,
  failures: readonly { stage: FailureStage; item: string; reason: string }[],
): Promise<void> {
  if (failures.length === 0) return;
  await withBackfillTables(db)
    .insertInto("backfill_failures")
    .values(
      failures.map((f) => ({ run_id: runId, stage: f.stage, item: f.item, reason: f.reason.slice(0, 500) })),
    )
    .execute();
}

/** The next phones phase 2 has not decided yet, in phone order. */
export async function nextUncheckedPhones(db: Db, runId: number, limit: number): Promise<RunPhone[]> {
  const rows = await withBackfillTables(db)
    .selectFrom("backfill_phones")
    .select(["phone", "lead_id", "history_final"])
    .where("run_id", "=", runId)
    .where("decision", "is", null)
    .orderBy("phone")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ phone: r.phone, leadId: r.lead_id, historyFinal: r.history_final }));
}

export interface PhoneOutcome {
  leadId: number | null;
  convoso: string;
  convosoStatus: string | null;
  decision: string;
  result: string;
  dncAdded: boolean;
  reason: string | null;
}

export async function savePhoneOutcome(db: Db, runId: number, phone: string, o: PhoneOutcome): Promise<void> {
  await withBackfillTables(db)
    .updateTable("backfill_phones")
    .set({
      lead_id: o.leadId,
      convoso: o.convoso,
      convoso_status: o.convosoStatus,
      decision: o.decision,
      result: o.result,
      dnc_added: o.dncAdded,
      reason: o.reason,
      checked_at: sql`now()`,
    })
    .where("run_id", "=", runId)
    .where("phone", "=", phone)
    .execute();
}

export interface PhoneTally {
  phones: number;
  unchecked: number;
  convoso: Record<string, number>;
  decision: Record<string, number>;
  result: Record<string, number>;
  dncAdded: number;
}

/** Phase-2 numbers, counted from the phones' stored outcomes (exact across interruptions). */
export async function tallyPhones(db: Db, runId: number): Promise<PhoneTally> {
  const rows = await withBackfillTables(db)
    .selectFrom("backfill_phones")
    .select(["convoso", "decision", "result", "dnc_added", sql<number>`count(*)::int`.as("n")])
    .where("run_id", "=", runId)
    .groupBy(["convoso", "decision", "result", "dnc_added"])
    .execute();
  const tally: PhoneTally = { phones: 0, unchecked: 0, convoso: {}, decision: {}, result: {}, dncAdded: 0 };
  const add = (into: Record<string, number>, key: string | null, n: number) => {
    if (key !== null) into[key] = (into[key] ?? 0) + n;
  };
  for (const row of rows) {
    tally.phones += row.n;
    if (row.decision === null) tally.unchecked += row.n;
    add(tally.convoso, row.convoso, row.n);
    add(tally.decision, row.decision, row.n);
    add(tally.result, row.result, row.n);
    if (row.dnc_added) tally.dncAdded += row.n;
  }
  return tally;
}

/** The run's phones with a decision (and, optionally, a result), in phone order. */
export async function listRunPhones(
  db: Db,
  runId: number,
  filter: { decision: string; result?: string; limit?: number | undefined },
): Promise<PhoneListEntry[]> {
  let query = withBackfillTables(db)
    .selectFrom("backfill_phones")
    .select(["phone", "reason"])
    .where("run_id", "=", runId)
    .where("decision", "=", filter.decision);
  if (filter.result !== undefined) query = query.where("result", "=", filter.result);
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  return query.orderBy("phone").execute();
}

export async function listFailures(
  db: Db,
  runId: number,
  limit: number,
): Promise<{ count: number; first: { stage: string; item: string; reason: string }[] }> {
  const b = withBackfillTables(db);
  const first = await b
    .selectFrom("backfill_failures")
    .select(["stage", "item", "reason"])
    .where("run_id", "=", runId)
    .orderBy("id")
    .limit(limit)
    .execute();
  const total = await b
    .selectFrom("backfill_failures")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("run_id", "=", runId)
    .executeTakeFirstOrThrow();
  return { count: total.n, first };
}
