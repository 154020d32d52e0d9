import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import Postgrator from "postgrator";
import { MigrationError } from "./migration-error.ts";
import { applyRepeatableSql, readRepeatableSql } from "./repeatable-sql.ts";

/** The repository's numbered plain-SQL migrations (NNNN.do.name.sql): the schema. */
export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../migrations");

/** Functions, triggers and views, one file each, applied after the numbered migrations (see its README). */
export const REPEATABLE_DIR_NAME = "repeatable";

/** Any constant: every process that migrates takes the same session lock. */
const MIGRATION_LOCK_KEY = 7_301_991;

export { MigrationError } from "./migration-error.ts";

export interface MigrationResult {
  applied: string[];
  version: number;
  /** Files of `repeatable/` applied this time (all of them when any changed; none otherwise). */
  repeatable: string[];
}

/**
 * Apply every pending numbered migration with postgrator, then the `repeatable/` folder beside
 * them when any of its files changed or a numbered migration ran. Safe when several processes
 * start at once (a session advisory lock serialises them; the later ones find nothing to do), and
 * refuses a numbered migration that was edited after it was applied (checksum), naming the file.
 */
export async function migrate(connectionString: string, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    const postgrator = new Postgrator({
      migrationPattern: join(dir, "*.sql"),
      driver: "pg",
      schemaTable: "public.schema_migrations",
      validateChecksums: true,
      execQuery: (query: string) => client.query(query),
    });
    let applied: string[];
    try {
      applied = (await postgrator.migrate()).map((m) => m.filename.split("/").pop() ?? m.filename);
    } catch (error) {
      throw await explain(postgrator, error);
    }
    const repeatable = await applyRepeatableSql(client, readRepeatableSql(join(dir, REPEATABLE_DIR_NAME)), {
      force: applied.length > 0,
    });
    return { applied, version: await postgrator.getDatabaseVersion(), repeatable };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

async function explain(postgrator: Postgrator, error: unknown): Promise<Error> {
  const message = error instanceof Error ? error.message : String(error);
  const checksum = /MD5 checksum failed for migration \[(\d+)\]/.exec(message);
  if (checksum) {
    const version = Number(checksum[1]);
    const file =
      (await postgrator.getMigrations()).find((m) => m.version === version)?.filename ?? `version ${version}`;
    return new MigrationError(
      "edited_migration",
      `Migration ${file} was edited after it was applied to this database. Migrations are never edited once applied: restore the file and put the change in a new numbered migration.`,
    );
  }
  return new MigrationError("migration_failed", `Migration failed: ${message}`);
}
