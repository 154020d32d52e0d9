import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { PreparingClient } from "./prepared-client.ts";
import type { Database } from "./schema.ts";

// bigint ids and counts fit in a JS number for this system's sizes; numeric stays a string.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export type Db = Kysely<Database>;

export function createDb(
  connectionString: string,
  options: {
    max?: number;
    onConnectionError?: (error: Error) => void;
    /**
     * Run repeated statements as named prepared statements (PreparingClient; default true).
     * DATABASE_PREPARED_STATEMENTS=false for a pooler in transaction mode that cannot carry them.
     */
    preparedStatements?: boolean;
  } = {},
): Db {
  // A starved pool fails a query after 10 s instead of hanging it forever.
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: 10_000,
    ...(options.preparedStatements === false
      ? {}
      : { Client: PreparingClient as unknown as typeof pg.Client }),
  });
  // An idle connection dropped by the server (restart, failover) must not crash the process:
  // the pool discards it and the next query opens a new one.
  pool.on("error", (error) => options.onConnectionError?.(error));
  // A connection dropped while checked out between two statements of a transaction has no pool
  // listener either: without this one its 'error' event ends the process. The transaction's next
  // statement fails instead (and the pool discards the connection when it is released).
  pool.on("connect", (client) => {
    client.on("error", (error) => options.onConnectionError?.(error));
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
