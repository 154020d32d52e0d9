import { sql } from "kysely";
import pg from "pg";
import type { Db } from "./client.ts";

/**
 * A database-level setting that marks a throwaway database (tests, benchmarks, `pnpm demo`):
 * only there may a process run with a shifted clock (CLOCK_OFFSET_SECONDS), which writes leads
 * and attempts at times that are not the real ones. Set by whoever creates such a database.
 */
const SCRATCH_SETTING = "redial.scratch_database";

/** Mark database `name` of the server at `serverUrl` as a scratch database (sessions opened afterwards see it). */
export async function markAsScratchDatabase(serverUrl: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Invalid scratch database name "${name}".`);
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`ALTER DATABASE ${name} SET ${SCRATCH_SETTING} = 'on'`);
  } finally {
    await client.end();
  }
}

/** Whether the database `db` is connected to was marked by markAsScratchDatabase. */
export async function isScratchDatabase(db: Db): Promise<boolean> {
  const { rows } = await sql<{ value: string | null }>`
    SELECT current_setting(${SCRATCH_SETTING}, true) AS value`.execute(db);
  return rows[0]?.value === "on";
}
