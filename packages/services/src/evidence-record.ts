import {
  type CallAttempt,
  consentHistory,
  findLead,
  findLeadByPhone,
  isOnDncList,
  type Lead,
  listAttempts,
  listAudit,
  listEvidence,
} from "@redial/db";
import type { ConsentHistoryEntry, ConsentOnRecord, DialEvidence } from "@redial/domain";
import type { RedialContext } from "./context.ts";
import { requirePhone } from "./intake-lead.ts";

/**
 * The whole record of one person (one phone, one lead) a compliance officer can hand over: the
 * lead, its consent history (every grant and revocation), every call with the evidence it was
 * dialed on and its outcome, and each opt-out with how it was honoured. JSON in snake_case.
 */
export interface EvidenceRecord {
  format: "redial-evidence-record/1";
  generated_at: string;
  phone: string;
  /** Calls are those of campaign days `from`..`to` (inclusive) when given; the consent history is whole. */
  range: { from: string | null; to: string | null };
  lead: ReturnType<typeof leadPart> | null;
  on_dnc_list: boolean;
  consent: {
    required_now: string;
    current: ReturnType<typeof grantPart> | null;
    history: ReturnType<typeof historyPart>[];
  };
  calls: ReturnType<typeof callPart>[];
  opt_outs: {
    at: string;
    reason: string | null;
    recorded_by: string;
    consent_revoked_at: string;
    lead_completed_at: string | null;
    /** calls placed after the opt-out: none is what honouring it means */
    calls_after: number;
  }[];
  /** What operators changed by hand (pause, resume, stop, DNC, consent…), from the audit log. */
  changes_by_hand: { at: string; actor: string; action: string; details: Record<string, unknown> }[];
}

export interface EvidenceRange {
  from?: string | undefined;
  to?: string | undefined;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** The record of the lead with this phone (any US format), or only the DNC flag when there is no lead. */
export async function evidenceRecordByPhone(
  ctx: Pick<RedialContext, "db" | "now" | "policy">,
  rawPhone: string,
  range: EvidenceRange = {},
): Promise<EvidenceRecord> {
  const phone = requirePhone(rawPhone);
  return buildRecord(ctx, phone, await findLeadByPhone(ctx.db, phone), range);
}

/** The record of lead `id` (LeadNotFound when there is none). */
export async function evidenceRecordOfLead(
  ctx: Pick<RedialContext, "db" | "now" | "policy">,
  leadId: number,
  range: EvidenceRange = {},
): Promise<EvidenceRecord | undefined> {
  const lead = await findLead(ctx.db, leadId);
  return lead ? buildRecord(ctx, lead.phone, lead, range) : undefined;
}

async function buildRecord(
  ctx: Pick<RedialContext, "db" | "now" | "policy">,
  phone: string,
  lead: Lead | undefined,
  range: EvidenceRange,
): Promise<EvidenceRecord> {
  const [history, attempts, evidence, audit, onDncList] = lead
    ? await Promise.all([
        consentHistory(ctx.db, lead.id),
        listAttempts(ctx.db, lead.id),
        listEvidence(ctx.db, lead.id),
        listAudit(ctx.db, { leadId: lead.id, limit: 10_000 }),
        isOnDncList(ctx.db, phone),
      ])
    : [[], [], [], [], await isOnDncList(ctx.db, phone)];
  const byAttempt = new Map(evidence.map((entry) => [entry.attemptId, entry.evidence]));
  const inRange = (a: CallAttempt) =>
    (!range.from || a.campaignDay >= range.from) && (!range.to || a.campaignDay <= range.to);
  return {
    format: "redial-evidence-record/1",
    generated_at: ctx.now().toISOString(),
    phone,
    range: { from: range.from ?? null, to: range.to ?? null },
    lead: lead ? leadPart(lead) : null,
    on_dnc_list: onDncList,
    consent: {
      required_now: ctx.policy.consentRequired,
      current: lead?.consent ? grantPart(lead.consent) : null,
      history: history.map(historyPart),
    },
    calls: attempts.filter(inRange).map((a) => callPart(a, byAttempt.get(a.id) ?? null)),
    opt_outs: optOuts(history, attempts, lead),
    changes_by_hand: audit
      .map((entry) => ({
        at: entry.at.toISOString(),
        actor: entry.actor,
        action: entry.action,
        details: entry.details,
      }))
      .reverse(),
  };
}

function leadPart(lead: Lead) {
  return {
    id: lead.id,
    phone: lead.phone,
    first_name: lead.firstName,
    last_name: lead.lastName,
    state: lead.state,
    zip: lead.zip,
    timezones: lead.timezones,
    states: lead.states,
    status: lead.status,
    final_outcome: lead.finalOutcome,
    created_at: lead.createdAt.toISOString(),
    completed_at: iso(lead.completedAt),
  };
}

function grantPart(grant: ConsentOnRecord) {
  return {
    id: grant.id,
    type: grant.type,
    captured_at: iso(grant.capturedAt),
    source: grant.source,
    ip: grant.ip,
    text_version: grant.textVersion,
    certificate_id: grant.certificateId,
    recorded_at: grant.recordedAt.toISOString(),
    recorded_by: grant.recordedBy,
  };
}

function historyPart(entry: ConsentHistoryEntry) {
  if (entry.kind === "grant") return { kind: "grant" as const, ...grantPart(entry) };
  return {
    kind: "revocation" as const,
    id: entry.id,
    revoked_at: entry.revokedAt.toISOString(),
    reason: entry.reason,
    recorded_at: entry.recordedAt.toISOString(),
    recorded_by: entry.recordedBy,
  };
}

function callPart(attempt: CallAttempt, evidence: DialEvidence | null) {
  return {
    attempt_id: attempt.id,
    attempt_number: attempt.attemptNumber,
    campaign_day: attempt.campaignDay,
    dialed_at: attempt.dialedAt.toISOString(),
    origin: attempt.origin,
    state: attempt.state,
    call_id: attempt.blandCallId,
    outcome: attempt.outcome,
    /** the field or phrase that decided the outcome (normalizeOutcome's reason) */
    outcome_reason: attempt.outcomeReason,
    answered: attempt.answered,
    duration_seconds: attempt.durationSeconds,
    ended_at: iso(attempt.endedAt),
    error_message: attempt.errorMessage,
    /** null for calls not placed by the dialer (a backfill import) or dialed before evidence was kept */
    evidence,
  };
}

function optOuts(history: ConsentHistoryEntry[], attempts: CallAttempt[], lead: Lead | undefined) {
  return history.flatMap((entry) => {
    if (entry.kind !== "revocation") return [];
    const after = attempts.filter(
      (a) => a.dialedAt > entry.revokedAt && a.origin === "dialer" && a.state !== "not_placed",
    );
    return [
      {
        at: entry.revokedAt.toISOString(),
        reason: entry.reason,
        recorded_by: entry.recordedBy,
        consent_revoked_at: entry.recordedAt.toISOString(),
        lead_completed_at: lead?.finalOutcome === "DNC" ? iso(lead.completedAt) : null,
        calls_after: after.length,
      },
    ];
  });
}
