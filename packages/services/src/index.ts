/**
 * The use cases of Redial, shared by the API, the worker and the CLI. Each takes the
 * `RedialContext` (db, queue, policy, calendar, clock, logger) first; routes and job handlers
 * are thin wrappers around these.
 */

export { readAlertFacts } from "./alert-facts.ts";
export {
  ALERT_RULES,
  type AlertFacts,
  type AlertRule,
  type AlertThresholds,
  firingAlerts,
} from "./alert-rules.ts";
export * from "./backfill/index.ts";
export { type ApplierOptions, BlandDeliveryApplier } from "./bland-delivery-applier.ts";
export {
  type BatcherOptions,
  BlandEventBatcher,
  type BlandEventStore,
  singleEventStore,
} from "./bland-event-batcher.ts";
export {
  databaseCalendar,
  InvalidSchedulerConfig,
  parseSchedulerConfig,
  seedCalendar,
  updateCalendar,
} from "./calendar-source.ts";
export { callChecksOf, databaseCallChecks, fixedCallChecks } from "./call-checks-source.ts";
export { CONSENT_JSON_SCHEMA, type ConsentReading, parseConsentInput } from "./consent-input.ts";
export type { CalendarSource, CallChecksSource, RedialContext } from "./context.ts";
export {
  type ConvosoConsentMapping,
  consentFromConvoso,
  InvalidConvosoConsentFields,
  parseConvosoConsentFields,
  readConvosoConsent,
} from "./convoso-consent.ts";
export {
  type ConvosoDeadLetter,
  listConvosoDeadLetters,
  retryConvosoDeadLetters,
} from "./convoso-dead-letters.ts";
export { type ConvosoLeadReference, findLeadForConvoso } from "./convoso-lead-lookup.ts";
export {
  type CachedStatusTable,
  keepConvosoStatusesFresh,
  loadConvosoStatuses,
  parkBadNumberIn,
  readStatusOfAccount,
  refreshConvosoStatuses,
} from "./convoso-statuses.ts";
export {
  applyConvosoStatus,
  type ConvosoSyncJob,
  convosoStatusOf,
  syncOutcomeToConvoso,
} from "./convoso-sync.ts";
export {
  type DailyReportNumbers,
  dailyReportNumbers,
  dailyReportText,
  deliverDailyReport,
} from "./daily-report.ts";
export type { DialDependencies, Dialer, DialFailure, DialJobResult } from "./dial-dependencies.ts";
export { dialLead } from "./dial-lead.ts";
export {
  DIAL_SLOT_FREED_CHANNEL,
  type DialSlotWatch,
  ensureDialSlots,
  watchDialSlots,
} from "./dial-slots.ts";
export {
  CallIdConflict,
  ConvosoLeadAmbiguous,
  ConvosoLeadMismatch,
  InvalidField,
  InvalidPhone,
  LeadCompleted,
  PhoneOnDncList,
  ServiceError,
  type ServiceErrorCode,
} from "./errors.ts";
export { type AlertEvaluation, evaluateAlerts } from "./evaluate-alerts.ts";
export {
  type EvidenceRange,
  type EvidenceRecord,
  evidenceRecordByPhone,
  evidenceRecordOfLead,
} from "./evidence-record.ts";
export { EVIDENCE_CSV_COLUMNS, evidenceRecordCsv } from "./evidence-record-csv.ts";
export { readFleetFigures } from "./fleet-figures.ts";
export {
  awaitWorkersInStep,
  type FleetStatus,
  fleetStatus,
  pauseFleet,
  resumeFleet,
  SPEND_CAP_ACTOR,
  WORKER_ALIVE_SECONDS,
} from "./fleet-pause.ts";
export {
  compactReportRollups,
  healFailedDial,
  healFailedDials,
  healSchedules,
  runDailyReset,
} from "./heal-schedules.ts";
export { recordUnknownCall } from "./inbound-call.ts";
export { findUnstorableText, isStorableText, storableText, withStorableText } from "./input-text.ts";
export { type IntakeResult, intakeLead, intakeLeadIn, locateLead, requirePhone } from "./intake-lead.ts";
export { type BulkRowResult, intakeLeadsBulk } from "./intake-leads-bulk.ts";
export {
  addDnc,
  completeLeadIn,
  pauseLead,
  resumeLead,
  stopLead,
  UNNAMED_ACTOR,
} from "./lead-actions.ts";
export { recordConsentIn, recordLeadConsent } from "./lead-consent.ts";
export {
  type FieldWarning,
  isIdentifier,
  LEAD_TEXT_MAX,
  type LeadFieldNames,
  type LeadInput,
  leadInputJsonSchema,
  type ParsedLead,
  parseIdentifier,
  parseLeadInput,
} from "./lead-input.ts";
export { alertEnv, deliveryEnv, spendLimitEnv } from "./operations-env.ts";
export {
  callCheckSettings,
  type DialLimitsConfig,
  dialLimitsEnv,
  dialLimitsOf,
  policyFromEnv,
  policyRuntimeOptions,
  type RedialPolicyEnv,
  reconcileAfterMs,
  redialPolicyEnv,
} from "./policy-env.ts";
export {
  applyBlandDelivery,
  finishPendingBlandEvents,
  receiveBlandWebhook,
  type StoredBlandDelivery,
  storeBlandDelivery,
} from "./receive-bland-webhook.ts";
export { reconcileAttempt, reconcileOrphanCalls } from "./reconcile-attempt.ts";
export {
  type CallResultStatus,
  callbackZoneOf,
  type RecordedCallResult,
  recordCallResult,
} from "./record-call-result.ts";
export { type RelocateOptions, type RelocateSummary, relocateLeads } from "./relocate-leads.ts";
export { type DncRemoval, removeDnc } from "./remove-dnc.ts";
export {
  checkedReportPeriod,
  checkReportRange,
  DEFAULT_REPORT_MAX_DAYS,
  isReportDay,
  reportDay,
  withReportTimeout,
} from "./report-days.ts";
export { rescheduleLead } from "./reschedule-lead.ts";
export {
  ClockOffsetRefused,
  databaseEnv,
  type Runtime,
  type RuntimeOptions,
  startRuntime,
} from "./runtime.ts";
export { applySpendCap, decideSpendCap, type SpendCapDecision } from "./spend-cap.ts";
export { usStateCode } from "./us-state.ts";
