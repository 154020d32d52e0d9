import { type Kysely, sql } from "kysely";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDb, PreparingClient } from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/test-database.ts";

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => test.drop());

// One connection per pool, so every statement below runs in the same session.
let db: Kysely<never>;
afterEach(async () => db.destroy());

function onePool(preparedStatements?: boolean): Kysely<never> {
  db = createDb(test.url, {
    max: 1,
    ...(preparedStatements === undefined ? {} : { preparedStatements }),
  }) as never;
  return db;
}

/** The statements the session has prepared, by their text. */
async function prepared(on: Kysely<never>): Promise<string[]> {
  const { rows } = await sql<{ statement: string }>`
    SELECT statement FROM pg_prepared_statements WHERE name LIKE 'redial\\_%' ORDER BY prepare_time`.execute(
    on,
  );
  return rows.map((row) => row.statement);
}

const lookup = (on: Kysely<never>, id: number) =>
  sql<Record<string, unknown>>`SELECT * FROM prepared_probe WHERE id = ${id}`.execute(on);

describe("PreparingClient (createDb's connections)", () => {
  it("prepares a parameterized statement the second time it runs, and reuses it after", async () => {
    const on = onePool();
    await sql`SELECT ${1}::int AS once`.execute(on);
    expect(await prepared(on)).toEqual([]);

    for (let i = 0; i < 3; i++) await sql`SELECT ${i}::int + 1 AS twice`.execute(on);
    const statements = await prepared(on);
    expect(statements).toEqual([expect.stringContaining("AS twice")]);
    const { rows } = await sql<{ twice: number }>`SELECT ${41}::int + 1 AS twice`.execute(on);
    expect(rows[0]?.twice).toBe(42);
    expect(await prepared(on)).toHaveLength(1);
  });

  it("leaves a long statement (a bulk insert) unprepared however often it runs", async () => {
    const on = onePool();
    const long = sql.raw(`/* ${"x".repeat(17_000)} */ SELECT `);
    for (let i = 0; i < 3; i++) await sql`${long}${i}::int AS bulky`.execute(on);
    expect(await prepared(on)).toEqual([]);
  });

  it("prepares nothing with preparedStatements: false (a pooler in transaction mode)", async () => {
    const on = onePool(false);
    for (let i = 0; i < 3; i++) await sql`SELECT ${i}::int AS plain`.execute(on);
    expect(await prepared(on)).toEqual([]);
  });

  it("survives a migration that changes a prepared SELECT *: at once outside a transaction, on the next one inside", async () => {
    const on = onePool();
    await sql`CREATE TABLE prepared_probe (id int PRIMARY KEY, a text)`.execute(on);
    await sql`INSERT INTO prepared_probe VALUES (1, 'x')`.execute(on);
    await lookup(on, 1);
    await lookup(on, 1);
    expect(await prepared(on)).toEqual([expect.stringContaining("prepared_probe")]);

    await sql`ALTER TABLE prepared_probe ADD COLUMN b text DEFAULT 'new'`.execute(on);
    const { rows } = await lookup(on, 1);
    expect(rows[0]).toEqual({ id: 1, a: "x", b: "new" });

    await sql`ALTER TABLE prepared_probe ADD COLUMN c int DEFAULT 7`.execute(on);
    // Inside a transaction the stale statement fails it, as any failed statement does…
    await expect(on.transaction().execute((trx) => lookup(trx, 1))).rejects.toMatchObject({ code: "0A000" });
    // …and the next transaction prepares it afresh.
    const again = await on.transaction().execute((trx) => lookup(trx, 1));
    expect(again.rows[0]).toEqual({ id: 1, a: "x", b: "new", c: 7 });
    await sql`DROP TABLE prepared_probe`.execute(on);
  });

  it("prepares again what the session lost (DISCARD ALL by a pooler)", async () => {
    const on = onePool();
    await sql`SELECT ${1}::int AS kept`.execute(on);
    await sql`SELECT ${2}::int AS kept`.execute(on);
    expect(await prepared(on)).toHaveLength(1);
    await sql`DISCARD ALL`.execute(on);
    const { rows } = await sql<{ kept: number }>`SELECT ${3}::int AS kept`.execute(on);
    expect(rows[0]?.kept).toBe(3);
    expect(await prepared(on)).toHaveLength(1);
  });

  it("prepares through pg.Pool's query() too (pg-boss's own pool calls it with a callback)", async () => {
    onePool();
    const pool = new pg.Pool({
      connectionString: test.url,
      max: 1,
      Client: PreparingClient as unknown as typeof pg.Client,
    });
    try {
      for (let i = 0; i < 3; i++) {
        const { rows } = await pool.query("SELECT $1::int AS via_pool", [i]);
        expect(rows[0]?.via_pool).toBe(i);
      }
      const { rows } = await pool.query(
        "SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE '%via_pool%'",
      );
      expect(rows[0]?.n).toBe(1);
      await expect(pool.query("SELECT 1 / $1::int", [0])).rejects.toMatchObject({ code: "22012" });
    } finally {
      await pool.end();
    }
  });

  it("keeps an error of the statement itself as it is, and the connection usable", async () => {
    const on = onePool();
    for (let i = 0; i < 2; i++)
      await expect(sql`SELECT 1 / ${0}::int AS broken`.execute(on)).rejects.toMatchObject({ code: "22012" });
    const { rows } = await sql<{ ok: number }>`SELECT ${1}::int AS ok`.execute(on);
    expect(rows[0]?.ok).toBe(1);
  });
});
