/**
 * Everything that touches PostgreSQL: the Kysely client and schema types, the migration runner,
 * the embedded server, and the repositories (plain functions taking `db` or a transaction first;
 * a function that locks demands a `Transaction`).
 */

export type { Transaction } from "kysely";
export {
  type AttemptResult,
  type AttemptState,
  attemptHistory,
  type CallAttempt,
  countAttemptsOnDay,
  countDialsSince,
  type DialFacts,
  findAttempt,
  findAttemptByCallId,
  findOpenAttempt,
  findOrphanOpenAttempts,
  insertAttempt,
  listAttempts,
  loadDialFacts,
  lockAttempt,
  markAttemptNotPlaced,
  markAttemptPlaced,
  saveAttemptResult,
} from "./call-attempts.ts";
export { createDb, type Db } from "./client.ts";
export {
  type BeginDial,
  type BeginDialResult,
  beginDial,
  type DialReading,
  findDialReading,
  type LeadReading,
  type RecordResult,
  recordResult,
  type StoredBlandEvent,
  storeBlandEvent,
} from "./dial-statements.ts";
export { addToDncList, isOnDncList } from "./dnc-phones.ts";
export { type RunningPostgres, startEmbeddedPostgres } from "./embedded-postgres.ts";
export { inTransaction, isRetryableTransactionError } from "./in-transaction.ts";
export {
  completeLead,
  findLead,
  findLeadByPhone,
  findLeadsOfFailedDialJobs,
  findLeadsWithoutDialJob,
  getLead,
  insertOrLockLead,
  type Lead,
  type LeadChanges,
  LeadNotFound,
  type LeadSchedule,
  leadHasDialJob,
  lockLead,
  type NewLead,
  recordLeadOutcome,
  saveLeadSchedule,
  widenLeadLocation,
} from "./leads.ts";
export { MIGRATIONS_DIR, MigrationError, type MigrationResult, migrate } from "./migrate.ts";
export { PreparingClient } from "./prepared-client.ts";
export {
  findStoredSchedulerConfig,
  saveSchedulerConfig,
  seedSchedulerConfig,
} from "./scheduler-config-store.ts";
export type { Database } from "./schema.ts";
export { isScratchDatabase, markAsScratchDatabase } from "./scratch-database.ts";
export {
  countWebhookEvents,
  listBlandEvents,
  markWebhookEvent,
  type StoredWebhookEvent,
  storeWebhookEvent,
  type WebhookEventResult,
} from "./webhook-events.ts";
