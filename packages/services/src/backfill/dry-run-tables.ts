import type { Database } from "@redial/db";
import { type Kysely, sql } from "kysely";

const TABLES = ["backfill_runs", "backfill_phones", "backfill_failures"] as const;

/**
 * A dry run keeps its run, phones and failures in temporary tables of the same names on one
 * pinned connection: PostgreSQL searches pg_temp first, so the same queries run unchanged and
 * nothing persistent is written. Dropped before the connection goes back to the pool.
 */
export async function withDryRunTables<T>(
  db: Kysely<Database>,
  work: (conn: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    for (const table of TABLES) {
      await sql`CREATE TEMP TABLE ${sql.id(table)} (LIKE ${sql.id("public", table)} INCLUDING ALL)`.execute(
        conn,
      );
    }
    try {
      return await work(conn);
    } finally {
      for (const table of TABLES) await sql`DROP TABLE IF EXISTS ${sql.id("pg_temp", table)}`.execute(conn);
    }
  });
}
