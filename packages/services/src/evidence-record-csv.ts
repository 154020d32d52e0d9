import type { DialEvidence } from "@redial/domain";
import { stringify } from "csv-stringify/sync";
import type { EvidenceRecord } from "./evidence-record.ts";

/** The CSV's columns, in order; a row fills those of its kind and leaves the others empty. */
export const EVIDENCE_CSV_COLUMNS = [
  "phone",
  "lead_id",
  "record",
  "at",
  "consent_id",
  "consent_type",
  "captured_at",
  "consent_source",
  "ip",
  "text_version",
  "certificate_id",
  "revocation_reason",
  "recorded_at",
  "recorded_by",
  "attempt_id",
  "attempt_number",
  "campaign_day",
  "call_id",
  "outcome",
  "outcome_reason",
  "answered",
  "duration_seconds",
  "ended_at",
  "decision",
  "zones_local_time",
  "states_applied",
  "rule_tables",
  "calls_today_before",
  "max_per_day",
  "rolling_caps",
  "consent_relied_on",
  "dnc_checks",
  "calls_after_opt_out",
  "lead_completed_at",
  "actor",
  "action",
  "details",
  "evidence_json",
] as const;

type Column = (typeof EVIDENCE_CSV_COLUMNS)[number];
type Row = Partial<Record<Column, string | number | boolean | null>>;

/**
 * The record as one CSV table, a row per event in time order: each consent grant and revocation,
 * each call (its evidence summarized in readable columns, and whole in `evidence_json`), each
 * opt-out with how it was honoured.
 */
export function evidenceRecordCsv(record: EvidenceRecord): string {
  const base = { phone: record.phone, lead_id: record.lead?.id ?? null };
  const rows: Row[] = [
    ...record.consent.history.map(
      (entry): Row =>
        entry.kind === "grant"
          ? {
              record: "consent_grant",
              at: entry.captured_at ?? entry.recorded_at,
              consent_id: entry.id,
              consent_type: entry.type,
              captured_at: entry.captured_at,
              consent_source: entry.source,
              ip: entry.ip,
              text_version: entry.text_version,
              certificate_id: entry.certificate_id,
              recorded_at: entry.recorded_at,
              recorded_by: entry.recorded_by,
            }
          : {
              record: "consent_revocation",
              at: entry.revoked_at,
              consent_id: entry.id,
              revocation_reason: entry.reason,
              recorded_at: entry.recorded_at,
              recorded_by: entry.recorded_by,
            },
    ),
    ...record.calls.map(
      (call): Row => ({
        record: "call",
        at: call.dialed_at,
        attempt_id: call.attempt_id,
        attempt_number: call.attempt_number,
        campaign_day: call.campaign_day,
        call_id: call.call_id,
        outcome: call.outcome,
        outcome_reason: call.outcome_reason,
        answered: call.answered,
        duration_seconds: call.duration_seconds,
        ended_at: call.ended_at,
        ...(call.evidence ? evidenceColumns(call.evidence) : {}),
      }),
    ),
    ...record.opt_outs.map(
      (optOut): Row => ({
        record: "opt_out",
        at: optOut.at,
        revocation_reason: optOut.reason,
        recorded_at: optOut.consent_revoked_at,
        recorded_by: optOut.recorded_by,
        calls_after_opt_out: optOut.calls_after,
        lead_completed_at: optOut.lead_completed_at,
      }),
    ),
    ...record.changes_by_hand.map(
      (change): Row => ({
        record: "change_by_hand",
        at: change.at,
        actor: change.actor,
        action: change.action,
        details: JSON.stringify(change.details),
      }),
    ),
  ];
  const sorted = rows
    .map((row, index) => ({ row, index }))
    .sort(byTime)
    .map(({ row }) => ({ ...base, ...row }));
  return stringify(sorted, {
    header: true,
    columns: [...EVIDENCE_CSV_COLUMNS],
    cast: { boolean: (value) => String(value) },
  });
}

function byTime(a: { row: Row; index: number }, b: { row: Row; index: number }): number {
  return String(a.row.at).localeCompare(String(b.row.at)) || a.index - b.index;
}

function evidenceColumns(evidence: DialEvidence): Row {
  const consent = evidence.consent.relied_on;
  return {
    decision: evidence.decision.text,
    zones_local_time: evidence.lead.zones.map((z) => `${z.zone} ${z.local_time}`).join("; "),
    states_applied: evidence.states
      .map((s) =>
        s.applied ? `${s.state} (from ${s.rule?.effective_from})` : `${s.state}: ${s.not_applied_because}`,
      )
      .join("; "),
    rule_tables: evidence.rule_tables
      .map((t) => `${t.table} ${t.version} (from ${t.effective_from})`)
      .join("; "),
    calls_today_before: evidence.caps.calls_today_before,
    max_per_day: evidence.caps.max_per_day,
    rolling_caps: evidence.caps.rolling
      .map((cap) => `${cap.state} ${cap.calls_before}/${cap.limit} in ${cap.hours} h`)
      .join("; "),
    consent_relied_on: consent
      ? `#${consent.id} ${consent.type} captured ${consent.captured_at} (required: ${evidence.consent.required})`
      : `none (required: ${evidence.consent.required})`,
    dnc_checks: evidence.dnc_checks.map((check) => `${check.list}: ${check.detail}`).join("; "),
    evidence_json: JSON.stringify(evidence),
  };
}
