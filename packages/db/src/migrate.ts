import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import Postgrator from "postgrator";

/** The repository's numbered plain-SQL migrations (NNNN.do.name.sql). */
export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../migrations");

/** Any constant: every process that migrates takes the same session lock. */
const MIGRATION_LOCK_KEY = 7_301_991;

export class MigrationError extends Error {
  readonly code: "edited_migration" | "migration_failed";
  constructor(code: MigrationError["code"], message: string) {
    super(message);
    this.name = "MigrationError";
    this.code = code;
  }
}

export interface MigrationResult {
  applied: string[];
  version: number;
}

/**
 * Apply every pending migration with postgrator. Safe when several processes start at once
 * (a session advisory lock serialises them; the later ones find nothing to do), and refuses a
 * migration file that was edited after it was applied (checksum), naming the file.
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
    try {
      const applied = await postgrator.migrate();
      return {
        applied: applied.map((m) => m.filename.split("/").pop() ?? m.filename),
        version: await postgrator.getDatabaseVersion(),
      };
    } catch (error) {
      throw await explain(postgrator, error);
    }
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
  const failed = (error as { appliedMigrations?: unknown }) ? message : message;
  return new MigrationError("migration_failed", `Migration failed: ${failed}`);
}
