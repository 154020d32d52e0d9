import type { AuditRecord, CallListEntry, DncEntry } from "@redial/db";
import type { FleetStatus } from "@redial/services";
import { attemptView } from "./lead-view.ts";

export function callView(call: CallListEntry) {
  return { ...attemptView(call), lead_id: call.leadId, phone: call.phone, lead_name: call.leadName };
}

export function dncView(entry: DncEntry) {
  return {
    phone: entry.phone,
    reason: entry.reason,
    source: entry.source,
    created_at: entry.createdAt.toISOString(),
  };
}

export function auditView(record: AuditRecord) {
  return {
    id: record.id,
    at: record.at.toISOString(),
    actor: record.actor,
    action: record.action,
    lead_id: record.leadId,
    subject: record.subject,
    details: record.details,
  };
}

export function fleetView(status: FleetStatus) {
  const { state } = status;
  return {
    paused: state.paused,
    reason: state.reason,
    note: state.note,
    day: state.day,
    cap_overridden_day: state.capOverriddenDay,
    changed_by: state.changedBy,
    changed_at: state.changedAt.toISOString(),
    workers_alive: status.workers.length,
    workers_not_in_step: status.workersNotInStep,
    workers: status.workers.map((w) => ({
      worker_id: w.workerId,
      host: w.host,
      pid: w.pid,
      started_at: w.startedAt.toISOString(),
      beat_at: w.beatAt.toISOString(),
      dial_paused: w.dialPaused,
    })),
  };
}
