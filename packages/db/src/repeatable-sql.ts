import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type pg from "pg";
import { MigrationError } from "./migration-error.ts";

/** One file of a repeatable-SQL folder (a function, a trigger with its function, a view). */
export interface RepeatableSqlFile {
  name: string;
  sql: string;
  checksum: string;
}

/** The files of `dir` (`*.sql`, in name order), with their checksums; none when `dir` is missing. */
export function readRepeatableSql(dir: string): RepeatableSqlFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".sql"))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/**
 * Bring the database's functions, triggers and views up to `files` (migrations/repeatable): when
 * any file is new or changed since the last run, or `force` (a numbered migration ran, which may
 * have redefined one of them), every file is applied again in name order in one transaction, and
 * the checksums recorded in `schema_sql_files`. Each file is idempotent (CREATE OR REPLACE, or a
 * DROP … CASCADE before its CREATE): the folder is always the last word on what they are. Runs
 * under the caller's migration lock. Returns the names applied (none when nothing changed).
 */
export async function applyRepeatableSql(
  client: pg.Client,
  files: readonly RepeatableSqlFile[],
  options: { force: boolean },
): Promise<string[]> {
  await client.query(`CREATE TABLE IF NOT EXISTS public.schema_sql_files (
    name text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now())`);
  const { rows } = await client.query<{ name: string; checksum: string }>(
    "SELECT name, checksum FROM public.schema_sql_files",
  );
  const recorded = new Map(rows.map((row) => [row.name, row.checksum]));
  const changed = files.some((file) => recorded.get(file.name) !== file.checksum);
  if (!changed && !options.force) return [];
  await client.query("BEGIN");
  try {
    // Bodies are checked when they run, not when created: the files may refer to each other in
    // any order (as pg_dump restores functions).
    await client.query("SET LOCAL check_function_bodies = off");
    for (const file of files) {
      try {
        await client.query(file.sql);
      } catch (error) {
        throw new MigrationError(
          "repeatable_sql_failed",
          `migrations/repeatable/${file.name} failed (${error instanceof Error ? error.message : String(error)}); nothing of the folder was applied. Fix the file and migrate again.`,
        );
      }
    }
    await client.query("DELETE FROM public.schema_sql_files");
    for (const file of files)
      await client.query("INSERT INTO public.schema_sql_files (name, checksum) VALUES ($1, $2)", [
        file.name,
        file.checksum,
      ]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
  return files.map((file) => file.name);
}
