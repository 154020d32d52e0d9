import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, inject, it } from "vitest";
import { MIGRATIONS_DIR, migrate } from "../src/migrate.ts";
import { adminQuery, createTestDatabase, withDatabase } from "../src/testing/test-database.ts";

const serverUrl = inject("testServerUrl");
const empty = `redial_migrate_${process.pid}`;

describe("migrations", () => {
  afterAll(async () => {
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${empty} WITH (FORCE)`);
  });

  it("apply to an empty database once, even when five processes start at the same time", async () => {
    await adminQuery(serverUrl, `CREATE DATABASE ${empty}`);
    const url = withDatabase(serverUrl, empty);
    const results = await Promise.all(Array.from({ length: 5 }, () => migrate(url)));
    const appliedCounts = results.map((r) => r.applied.length).sort();
    expect(appliedCounts.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(appliedCounts[4]).toBeGreaterThan(0);
    expect(new Set(results.map((r) => r.version)).size).toBe(1);
    const again = await migrate(url);
    expect(again.applied).toEqual([]);
  });

  it("refuse an already-applied migration that was edited, naming the file", async () => {
    const test = await createTestDatabase();
    try {
      const dir = mkdtempSync(join(tmpdir(), "redial-migrations-"));
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      const file = join(dir, "0001.do.leads-and-attempts.sql");
      writeFileSync(file, "-- edited\nSELECT 1;\n");
      await expect(migrate(test.url, dir)).rejects.toThrow(/0001\.do\.leads-and-attempts\.sql was edited/);
    } finally {
      await test.drop();
    }
  });

  it("enforce one lead per phone number", async () => {
    const test = await createTestDatabase();
    try {
      await test.db.insertInto("leads").values({ phone: "+13055550101" }).execute();
      await expect(test.db.insertInto("leads").values({ phone: "+13055550101" }).execute()).rejects.toThrow(
        /duplicate key/,
      );
      await expect(test.db.insertInto("leads").values({ phone: "3055550101" }).execute()).rejects.toThrow(
        /check constraint/,
      );
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from leads`.execute(test.db);
      expect(rows[0]?.n).toBe(1);
    } finally {
      await test.drop();
    }
  });
});
