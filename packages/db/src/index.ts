/**
 * Everything that touches PostgreSQL: the Kysely client and schema types, the migration runner,
 * the embedded server, and the repositories (plain functions taking `db` or a transaction first;
 * a function that locks demands a `Transaction`).
 */

export type { Transaction } from "kysely";
export {
  type AlertIncident,
  listIncidents,
  openIncident,
  resolveIncident,
  saveIncidentDelivery,
} from "./alert-incidents.ts";
export { type Actor, type AuditEntry, type AuditRecord, listAudit, recordAudit } from "./audit-log.ts";
export {
  type CallAttempt,
  countAttemptsOnDay,
  findAttempt,
  findAttemptByCallId,
  findMedianCallSeconds,
  findOpenAttempt,
  findOrphanOpenAttempts,
  listAttempts,
  markAttemptPlaced,
} from "./call-attempts.ts";
export { listEvidence, type StoredEvidence } from "./call-evidence.ts";
export { type CallCursor, type CallListEntry, listRecentCalls } from "./call-list.ts";
export { createDb, type Db } from "./client.ts";
export {
  bindConvosoLeadId,
  type ConvosoLeadBinding,
  findLeadIdsByConvosoLeadId,
} from "./convoso-lead-ids.ts";
export {
  type DailyReportRecord,
  findDailyReport,
  insertDailyReport,
  listDailyReports,
  saveDailyReportDelivery,
} from "./daily-reports.ts";
export { addToDncList, type DncEntry, isOnDncList, listDnc, removeFromDncList } from "./dnc-phones.ts";
export { type RunningPostgres, startEmbeddedPostgres } from "./embedded-postgres.ts";
export { type FailedWebhookEvent, listFailedWebhookEvents } from "./failed-webhook-events.ts";
export {
  FLEET_STATE_CHANNEL,
  type FleetState,
  getFleetState,
  lockFleetState,
  saveFleetState,
} from "./fleet-state.ts";
export { inTransaction, isRetryableTransactionError } from "./in-transaction.ts";
export { consentHistory, recordConsent, recordFirstConsents } from "./lead-consents.ts";
export {
  type LeadReading,
  type OpenAttempt,
  readLead,
  readLockedLead,
} from "./lead-reading.ts";
export { reopenDncLead } from "./lead-reopen.ts";
export { type LeadSearch, searchLeads } from "./lead-search.ts";
export {
  type CompletionWrite,
  type DialWrite,
  type DialWritten,
  LEAD_LOCKED,
  type LeadChange,
  leadColumns,
  type ResultWrite,
  type ScheduleWrite,
  unchangedSince,
  type WriteGuard,
  type Written,
  writeCompletion,
  writeDial,
  writeNewLeads,
  writeResult,
  writeSchedule,
} from "./lead-writes.ts";
export {
  findLead,
  findLeadByPhone,
  findLeads,
  getLead,
  insertOrLockLead,
  type Lead,
  LeadNotFound,
  listRedialingLeadIds,
  lockLead,
  type NewLead,
  widenLeadLocation,
} from "./leads.ts";
export { MIGRATIONS_DIR, MigrationError, type MigrationResult, migrate } from "./migrate.ts";
export { listenForNotifications, type NotificationListener } from "./notification-listener.ts";
export { PreparingClient } from "./prepared-client.ts";
export {
  findStoredSchedulerConfig,
  saveSchedulerConfig,
  seedSchedulerConfig,
} from "./scheduler-config-store.ts";
export type { Database } from "./schema.ts";
export { isScratchDatabase, markAsScratchDatabase } from "./scratch-database.ts";
export {
  type BlandEventInput,
  type CallAttemptRef,
  type CallAttempts,
  countWebhookEvents,
  findCallAttempts,
  listBlandEvents,
  listPendingBlandEvents,
  markWebhookEvent,
  type StoredBlandEvent,
  type StoredWebhookEvent,
  storeBlandEvent,
  storeBlandEvents,
  storeWebhookEvent,
  type WebhookEventResult,
} from "./webhook-events.ts";
export {
  deleteHeartbeatsBefore,
  listHeartbeats,
  saveHeartbeat,
  type WorkerHeartbeat,
} from "./worker-heartbeats.ts";
