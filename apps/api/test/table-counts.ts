import type { Db } from "@redial/db";
import { sql } from "kysely";

/**
 * The row count of every table of ours and of pg-boss's job table, in one statement: what a
 * refused request must leave unchanged.
 */
export async function tableCounts(db: Db): Promise<Record<string, number>> {
  const { rows: tables } = await sql<{ name: string }>`
    SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
    WHERE table_type = 'BASE TABLE'
      AND (table_schema = 'public' OR (table_schema = 'pgboss' AND table_name = 'job'))
    ORDER BY 1`.execute(db);
  const counts = tables.map(
    ({ name }) => sql`SELECT ${name}::text AS name, count(*)::int AS n FROM ${sql.raw(name)}`,
  );
  const { rows } = await sql<{ name: string; n: number }>`${sql.join(counts, sql` UNION ALL `)}`.execute(db);
  return Object.fromEntries(rows.map((row) => [row.name, row.n]));
}
