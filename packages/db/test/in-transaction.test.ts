import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction } from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/test-database.ts";

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
  await test.db
    .insertInto("leads")
    .values([{ phone: "+12125550901" }, { phone: "+12125550902" }])
    .execute();
});
afterAll(async () => test.drop());

/** Resolves once `count` callers have arrived. */
function barrier(count: number): () => Promise<void> {
  let arrived = 0;
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return async () => {
    arrived++;
    if (arrived === count) open();
    await opened;
  };
}

describe("inTransaction", () => {
  it("runs a deadlock victim again, so both of two crossing transactions commit", async () => {
    const [first, second] = await test.db.selectFrom("leads").select("id").orderBy("id").execute();
    const bothLocked = barrier(2);
    let runs = 0;
    const cross = (a: number, b: number, outcome: string) =>
      inTransaction(test.db, async (trx) => {
        runs++;
        await trx.updateTable("leads").set({ last_outcome: outcome }).where("id", "=", a).execute();
        if (runs <= 2) await bothLocked();
        await trx.updateTable("leads").set({ last_outcome: outcome }).where("id", "=", b).execute();
      });
    await Promise.all([cross(first!.id, second!.id, "BUSY"), cross(second!.id, first!.id, "VOICEMAIL")]);
    // Two first runs and at least the victim's second one (on a loaded machine a retry can meet
    // the other transaction again; what matters is that both commit).
    expect(runs).toBeGreaterThanOrEqual(3);
    const { rows } = await sql<{
      n: number;
    }>`SELECT count(DISTINCT last_outcome)::int AS n FROM leads`.execute(test.db);
    expect(rows[0]?.n).toBe(1);
  });

  it("does not retry other errors", async () => {
    let runs = 0;
    await expect(
      inTransaction(test.db, async (trx) => {
        runs++;
        await trx.insertInto("leads").values({ phone: "+12125550901" }).execute();
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(runs).toBe(1);
  });
});
