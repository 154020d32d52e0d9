import type { Transaction } from "kysely";
import type { Db } from "./client.ts";
import type { Database } from "./schema.ts";

/** PostgreSQL says: run the transaction again (deadlock victim, serialization failure). */
const RETRYABLE_CODES = new Set(["40P01", "40001"]);

export function isRetryableTransactionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && RETRYABLE_CODES.has(code);
}

/**
 * Run `work` in a transaction, running it again (up to `attempts` times in all) when PostgreSQL
 * picks it as a deadlock victim or reports a serialization failure. `work` must keep its side
 * effects inside the transaction (pg-boss jobs are sent through it), so a retry is safe.
 */
export async function inTransaction<T>(
  db: Db,
  work: (trx: Transaction<Database>) => Promise<T>,
  options: { attempts?: number } = {},
): Promise<T> {
  const attempts = options.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (attempt >= attempts || !isRetryableTransactionError(error)) throw error;
    }
  }
}
