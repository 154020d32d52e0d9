import pg from "pg";

/** A database a bench script creates on the server DATABASE_URL names, and drops at its end. */
export interface ScratchDatabase {
  /** The server's URL (DATABASE_URL). */
  server: string;
  name: string;
  /** The scratch database's URL. */
  url: string;
  drop(): Promise<void>;
}

/**
 * Create `<prefix>_<pid>` on `server` (default: the server DATABASE_URL names, then required: the scripts that need a
 * PostgreSQL server of their own say so in their header). loop-statements.ts keeps its own copy:
 * it is copied into older checkouts to measure them.
 */
export async function createScratchDatabase(
  prefix: string,
  server = process.env.DATABASE_URL,
): Promise<ScratchDatabase> {
  if (!server)
    throw new Error("DATABASE_URL: the URL of a PostgreSQL server where a scratch database may be created");
  const name = `${prefix}_${process.pid}`;
  await admin(server, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    server,
    name,
    url: url.toString(),
    drop: () => admin(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function admin(server: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
