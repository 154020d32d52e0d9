import type { Database } from "@redial/db";
import type { ColumnType, Generated, Kysely } from "kysely";

/** The backfill's own tables (migrations/0004.do.backfill-checkpoints.sql). */
export interface BackfillRunTable {
  id: Generated<number>;
  source: "bland" | "webhook-file" | "webhook-events";
  source_key: string;
  phase: ColumnType<"import" | "check" | "done", "import" | "check" | "done" | undefined>;
  cursor: ColumnType<unknown, string | null | undefined, string | null>;
  counters: ColumnType<unknown, string | undefined, string>;
  options: ColumnType<unknown, string | undefined, string>;
  started_at: ColumnType<Date, undefined, never>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  finished_at: ColumnType<Date | null, undefined, Date | string | null>;
}

export interface BackfillPhoneTable {
  run_id: number;
  phone: string;
  lead_id: number | null;
  history_final: "SALE" | "DNC" | null;
  convoso: string | null;
  convoso_status: string | null;
  decision: string | null;
  result: string | null;
  dnc_added: ColumnType<boolean, boolean | undefined, boolean>;
  reason: string | null;
  checked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface BackfillFailureTable {
  id: Generated<number>;
  run_id: number;
  stage: string;
  item: string;
  reason: string;
  created_at: ColumnType<Date, undefined, never>;
}

export interface BackfillDatabase extends Database {
  backfill_runs: BackfillRunTable;
  backfill_phones: BackfillPhoneTable;
  backfill_failures: BackfillFailureTable;
}

/** The same connection (pool, pinned connection or transaction), typed with the backfill tables. */
export function withBackfillTables(db: Kysely<Database>): Kysely<BackfillDatabase> {
  return db as unknown as Kysely<BackfillDatabase>;
}
