import type { ColumnType, Generated, Selectable } from "kysely";

/** Kysely's view of the tables our migrations own. Rows stay inside the repositories. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface LeadTable {
  id: Generated<number>;
  phone: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  state: string | null;
  zip: string | null;
  timezones: ColumnType<string[], string[] | undefined, string[]>;
  states: ColumnType<string[], string[] | undefined, string[]>;
  convoso_lead_id: string | null;
  list_ids: ColumnType<string[], string[] | undefined, string[]>;
  source: string | null;
  status: ColumnType<
    "active" | "daily_max_reached" | "paused" | "completed",
    "active" | "daily_max_reached" | "paused" | "completed" | undefined
  >;
  final_outcome: "SALE" | "DNC" | null;
  last_outcome: string | null;
  attempts_total: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp | null;
  waiting_reason: string | null;
  callback_at: Timestamp | null;
  bad_number_until: Timestamp | null;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  completed_at: Timestamp | null;
  /** The current consent (migration 0016): maintained by a trigger from lead_consents, never written here. */
  consent: ColumnType<StoredConsent | null, never, never>;
}

/** leads.consent: the lead_consents grant lead_consent_current() chose, as JSON. */
export interface StoredConsent {
  id: number;
  type: "written" | "express";
  captured_at: string;
  source: string | null;
  ip: string | null;
  text_version: string | null;
  certificate_id: string | null;
  recorded_at: string;
  recorded_by: string;
}

/** A lead's consent history (migration 0016): grants and revocations, append-only. */
export interface LeadConsentTable {
  id: Generated<number>;
  lead_id: number;
  kind: "grant" | "revocation";
  type: "written" | "express" | "none" | null;
  captured_at: Timestamp | null;
  source: string | null;
  ip: string | null;
  text_version: string | null;
  certificate_id: string | null;
  revoked_at: Timestamp | null;
  revocation_reason: string | null;
  recorded_at: CreatedAt;
  recorded_by: string;
}

/** What each dial was decided on (migration 0016), written with its attempt; immutable. */
export interface CallEvidenceTable {
  attempt_id: number;
  lead_id: number;
  decided_at: Timestamp;
  evidence: ColumnType<unknown, string, never>;
  recorded_at: CreatedAt;
}

export interface CallAttemptTable {
  id: Generated<number>;
  lead_id: number;
  attempt_number: number;
  campaign_day: ColumnType<string, string, string>;
  dialed_at: Timestamp;
  state: ColumnType<
    "dialing" | "in_progress" | "ended" | "not_placed",
    "dialing" | "in_progress" | "ended" | "not_placed" | undefined
  >;
  origin: ColumnType<"dialer" | "backfill", "dialer" | "backfill" | undefined>;
  bland_call_id: string | null;
  raw_status: string | null;
  outcome: string | null;
  outcome_reason: string | null;
  answered_by: string | null;
  answered: boolean | null;
  duration_seconds: number | null;
  price: number | null;
  transferred: boolean | null;
  transferred_to: string | null;
  callback_at: Timestamp | null;
  error_message: string | null;
  ended_at: Timestamp | null;
  webhook_received_at: Timestamp | null;
  result_source: "webhook" | "reconcile" | "backfill" | null;
  created_at: CreatedAt;
}

export interface WebhookEventTable {
  id: Generated<number>;
  source: "bland" | "convoso";
  call_id: string | null;
  received_at: CreatedAt;
  body: ColumnType<unknown, string, string>;
  result: "processed" | "duplicate" | "unknown_call" | "ignored" | "conflict" | "error" | null;
  error: string | null;
  processed_at: Timestamp | null;
  /** sha256 of the raw body as delivered (Bland): a redelivery of the same bytes is counted here. */
  body_sha256: Buffer | null;
  delivery_count: Generated<number>;
  last_delivered_at: Timestamp | null;
}

export interface DncPhoneTable {
  phone: string;
  reason: string;
  source: string;
  created_at: CreatedAt;
}

export interface SchedulerConfigTable {
  id: number;
  config: ColumnType<unknown, string, string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** DIAL_MAX_CONCURRENT slots (migration 0007): taken by dial_slot_take, given back by trigger. */
export interface DialSlotTable {
  slot: number;
  attempt_id: number | null;
  taken_at: Date | null;
}

/** The Convoso account's status table as /status/search listed it (migration 0011). */
export interface ConvosoStatusTable {
  code: string;
  name: string;
  final: boolean;
  reached: boolean;
  success: boolean;
  dnc: boolean;
  callback: boolean;
  contact: boolean;
  voicemail: boolean;
  fetched_at: Date;
}

/** Migration 0015: every state change made by hand. */
export interface AuditLogTable {
  id: Generated<number>;
  at: CreatedAt;
  actor: string;
  action: string;
  lead_id: number | null;
  subject: string | null;
  details: ColumnType<unknown, string | undefined, string>;
}

/** Migration 0015: the fleet's one pause switch (one row). */
export interface FleetStateTable {
  id: number;
  paused: boolean;
  reason: "manual" | "spend_cap" | null;
  note: string | null;
  day: ColumnType<string | null, string | null, string | null>;
  cap_overridden_day: ColumnType<string | null, string | null, string | null>;
  changed_by: string | null;
  changed_at: Timestamp;
}

export interface WorkerHeartbeatTable {
  worker_id: string;
  host: string;
  pid: number;
  started_at: Timestamp;
  beat_at: Timestamp;
  dial_paused: boolean;
  stopped_at: Timestamp | null;
}

export interface DailyReportTable {
  day: ColumnType<string, string, string>;
  created_at: CreatedAt;
  numbers: ColumnType<unknown, string, string>;
  text: string;
  delivered_to: ColumnType<string[], string[] | undefined, string[]>;
  errors: ColumnType<string[], string[] | undefined, string[]>;
}

export interface AlertIncidentTable {
  id: Generated<number>;
  rule: string;
  opened_at: Timestamp;
  resolved_at: Timestamp | null;
  summary: string;
  details: ColumnType<unknown, string | undefined, string>;
  notified_to: ColumnType<string[], string[] | undefined, string[]>;
  errors: ColumnType<string[], string[] | undefined, string[]>;
}

export interface ConvosoLeadIdTable {
  convoso_lead_id: string;
  list_id: ColumnType<string, string | undefined, string>;
  lead_id: number;
  created_at: CreatedAt;
}

export interface Database {
  leads: LeadTable;
  convoso_statuses: ConvosoStatusTable;
  audit_log: AuditLogTable;
  fleet_state: FleetStateTable;
  worker_heartbeats: WorkerHeartbeatTable;
  daily_reports: DailyReportTable;
  alert_incidents: AlertIncidentTable;
  convoso_lead_ids: ConvosoLeadIdTable;
  dial_slots: DialSlotTable;
  call_attempts: CallAttemptTable;
  webhook_events: WebhookEventTable;
  dnc_phones: DncPhoneTable;
  scheduler_config: SchedulerConfigTable;
  lead_consents: LeadConsentTable;
  call_evidence: CallEvidenceTable;
}

export type LeadRow = Selectable<LeadTable>;
export type CallAttemptRow = Selectable<CallAttemptTable>;
