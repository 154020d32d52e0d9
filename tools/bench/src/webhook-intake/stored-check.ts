import type { Db } from "@redial/db";
import { sql } from "kysely";

export interface StoredCounts {
  /** Bland events stored. */
  events: number;
  /** Deliveries counted on them (delivery_count). */
  deliveries: number;
  /** Events stored more than once for the same call (must be 0). */
  duplicatesStored: number;
  /** Events still without their final result. */
  pending: number;
  /** Events by final result. */
  results: Record<string, number>;
  /** Attempts ended by a webhook. */
  applied: number;
}

/** What the database holds of the deliveries: every event once, every result applied once. */
export async function countStored(db: Db): Promise<StoredCounts> {
  const { rows } = await sql<{
    events: number;
    deliveries: number;
    duplicates_stored: number;
    pending: number;
    results: Record<string, number> | null;
    applied: number;
  }>`
    SELECT count(*)::int AS events, coalesce(sum(delivery_count), 0)::int AS deliveries,
           (count(*) - count(DISTINCT call_id))::int AS duplicates_stored,
           count(*) FILTER (WHERE result IS NULL)::int AS pending,
           (SELECT json_object_agg(coalesce(result, 'pending'), n)
              FROM (SELECT result, count(*)::int AS n FROM webhook_events WHERE source = 'bland' GROUP BY result) r) AS results,
           (SELECT count(*)::int FROM call_attempts WHERE state = 'ended' AND result_source = 'webhook') AS applied
    FROM webhook_events WHERE source = 'bland'`.execute(db);
  const row = rows[0];
  if (!row) throw new Error("no counts");
  return {
    events: row.events,
    deliveries: row.deliveries,
    duplicatesStored: row.duplicates_stored,
    pending: row.pending,
    results: row.results ?? {},
    applied: row.applied,
  };
}

/** The statements that took the most time in this database (pg_stat_statements), for the profile. */
export async function topStatements(db: Db, limit: number): Promise<string[]> {
  const { rows } = await sql<{ calls: string; total_ms: number; mean_ms: number; query: string }>`
    SELECT calls, round(total_exec_time::numeric, 1)::float AS total_ms, round(mean_exec_time::numeric, 3)::float AS mean_ms,
           regexp_replace(left(query, 150), '\\s+', ' ', 'g') AS query
    FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
    ORDER BY total_exec_time DESC LIMIT ${limit}`.execute(db);
  return rows.map(
    (r) =>
      `${String(r.calls).padStart(8)} calls ${String(r.total_ms).padStart(9)} ms total ${String(r.mean_ms).padStart(7)} ms mean  ${r.query}`,
  );
}
