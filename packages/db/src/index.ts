/**
 * Everything that touches PostgreSQL: the Kysely client and schema types, the migration runner,
 * the embedded server, and the repositories (plain functions taking `db` or a transaction first).
 */
export { createDb, type Db } from "./client.ts";
export { type RunningPostgres, startEmbeddedPostgres } from "./embedded-postgres.ts";
export { MIGRATIONS_DIR, MigrationError, type MigrationResult, migrate } from "./migrate.ts";
export type { Database } from "./schema.ts";
