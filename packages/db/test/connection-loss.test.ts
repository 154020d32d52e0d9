import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/test-database.ts";

let test: TestDatabase;
let db: Db;
const lost: Error[] = [];
beforeAll(async () => {
  test = await createTestDatabase();
  db = createDb(test.url, { max: 2, onConnectionError: (error) => lost.push(error) });
});
afterAll(async () => {
  await db.destroy();
  await test.drop();
});

async function terminate(pid: number): Promise<void> {
  await sql`SELECT pg_terminate_backend(${pid})`.execute(test.db);
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("a database connection dropped by the server (restart, failover, pg_terminate_backend)", () => {
  it("while idle in the pool: reported, and the next query opens a new connection", async () => {
    const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db);
    const before = lost.length;
    await terminate(rows[0]!.pid);
    await until(() => lost.length > before, "the connection error");
    const again = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db);
    expect(again.rows[0]?.pid).not.toBe(rows[0]?.pid);
  });

  it("between two statements of a transaction: the transaction fails, the process lives on", async () => {
    const before = lost.length;
    const failed = db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
      // The server drops this connection while the transaction holds it and runs nothing.
      await terminate(rows[0]!.pid);
      await until(() => lost.length > before, "the connection error");
      await sql`SELECT 1`.execute(trx);
    });
    await expect(failed).rejects.toThrow();
    const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(db);
    expect(rows[0]?.one).toBe(1);
  });
});
