import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR, migrate } from "../src/migrate.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/test-database.ts";

const REPEATABLE = join(MIGRATIONS_DIR, "repeatable");

/** A copy of migrations/ (numbered and repeatable) that a test may change. */
function migrationsCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "redial-migrations-"));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test.drop();
});

async function functionSource(name: string): Promise<string> {
  const { rows } = await sql<{ src: string }>`
    SELECT prosrc AS src FROM pg_proc WHERE proname = ${name} AND pronamespace = 'public'::regnamespace`.execute(
    test.db,
  );
  return rows.map((row) => row.src).join("\n");
}

async function recordedFiles(): Promise<Map<string, string>> {
  const { rows } = await sql<{ name: string; checksum: string }>`
    SELECT name, checksum FROM schema_sql_files ORDER BY name`.execute(test.db);
  return new Map(rows.map((row) => [row.name, row.checksum]));
}

describe("migrations/repeatable: functions, triggers and views, one file each", () => {
  it("hold every function, trigger and view of our schema, each in the file named after it", async () => {
    const files = new Set(readdirSync(REPEATABLE).filter((name) => name.endsWith(".sql")));
    // pg-boss's tables are written by packages/jobs's one pinned file, not by this folder.
    const jobs = readFileSync(join(MIGRATIONS_DIR, "../packages/jobs/sql/job-table-writes.sql"), "utf8");
    for (const [, name] of jobs.matchAll(/CREATE OR REPLACE FUNCTION (\w+)\(/g)) files.add(`${name}.sql`);
    const fileOf = (schema: string, name: string) => `${schema === "public" ? "" : `${schema}.`}${name}.sql`;
    const { rows: functions } = await sql<{ schema: string; name: string }>`
      SELECT DISTINCT n.nspname AS schema, p.proname AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname IN ('public', 'reporting')
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
      ORDER BY 1, 2`.execute(test.db);
    expect(functions.map((f) => fileOf(f.schema, f.name)).filter((file) => !files.has(file))).toEqual([]);
    const { rows: views } = await sql<{ schema: string; name: string }>`
      SELECT schemaname AS schema, viewname AS name FROM pg_views WHERE schemaname IN ('public', 'reporting')
      ORDER BY 1, 2`.execute(test.db);
    expect(views.length).toBeGreaterThan(3);
    expect(views.map((v) => fileOf(v.schema, v.name)).filter((file) => !files.has(file))).toEqual([]);
    const { rows: triggers } = await sql<{ name: string; fn: string }>`
      SELECT t.tgname AS name, p.proname AS fn FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
      JOIN pg_class c ON c.oid = t.tgrelid
      WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace ORDER BY 1`.execute(test.db);
    expect(triggers.length).toBeGreaterThan(0);
    for (const trigger of triggers)
      expect(readFileSync(join(REPEATABLE, `${trigger.fn}.sql`), "utf8")).toContain(
        `CREATE OR REPLACE TRIGGER ${trigger.name} `,
      );
  });

  it("are never defined again by a numbered migration after 0014: those hold schema only", () => {
    const later = readdirSync(MIGRATIONS_DIR).filter(
      (name) => /^\d{4}\./.test(name) && name.slice(0, 4) > "0014",
    );
    for (const name of later)
      expect(readFileSync(join(MIGRATIONS_DIR, name), "utf8"), name).not.toMatch(
        /CREATE\s+(OR\s+REPLACE\s+)?(FUNCTION|TRIGGER|VIEW|PROCEDURE)/i,
      );
  });

  it("are recorded with their checksums, and applied again only when one changes", async () => {
    const before = await recordedFiles();
    expect([...before.keys()]).toEqual(
      readdirSync(REPEATABLE)
        .filter((name) => name.endsWith(".sql"))
        .sort(),
    );
    expect(await migrate(test.url)).toMatchObject({ applied: [], repeatable: [] });

    const dir = migrationsCopy();
    try {
      const file = join(dir, "repeatable/report_hour.sql");
      writeFileSync(file, `${readFileSync(file, "utf8")}-- a comment changes the checksum\n`);
      const result = await migrate(test.url, dir);
      // The whole folder, in name order, so a DROP … CASCADE in one file is followed by every CREATE.
      expect(result.repeatable).toEqual([...before.keys()]);
      const after = await recordedFiles();
      expect(after.get("report_hour.sql")).not.toBe(before.get("report_hour.sql"));
      expect(after.get("redial_daily_reset.sql")).toBe(before.get("redial_daily_reset.sql"));
      expect(await migrate(test.url, dir)).toMatchObject({ repeatable: [] });
    } finally {
      await migrate(test.url);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("have the last word over a numbered migration that redefines one of them", async () => {
    const dir = migrationsCopy();
    try {
      writeFileSync(
        join(dir, "9999.do.redefine.sql"),
        "CREATE OR REPLACE FUNCTION redial_daily_reset() RETURNS integer LANGUAGE sql AS $$ SELECT 42 $$;\n",
      );
      const result = await migrate(test.url, dir);
      expect(result.applied).toEqual(["9999.do.redefine.sql"]);
      expect(result.repeatable.length).toBeGreaterThan(0);
      expect(await functionSource("redial_daily_reset")).toContain("daily_max_reached");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("are applied all or nothing: a failing file changes none, and the error names it", async () => {
    const dir = migrationsCopy();
    try {
      const good = join(dir, "repeatable/redial_daily_reset.sql");
      writeFileSync(good, `${readFileSync(good, "utf8")}-- changed\n`);
      writeFileSync(
        join(dir, "repeatable/zz_broken.sql"),
        "CREATE OR REPLACE VIEW zz_broken AS SELECT * FROM nowhere;\n",
      );
      await expect(migrate(test.url, dir)).rejects.toThrow(/zz_broken\.sql failed .*nowhere/);
      expect((await recordedFiles()).has("zz_broken.sql")).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
