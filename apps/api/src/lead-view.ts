import { type CallAttempt, countAttemptsOnDay, type Db, type Lead } from "@redial/db";

/** A lead as the API shows it (snake_case). */
export function leadView(lead: Lead, attemptsToday: number) {
  return {
    id: lead.id,
    phone: lead.phone,
    first_name: lead.firstName,
    last_name: lead.lastName,
    state: lead.state,
    zip: lead.zip,
    timezones: lead.timezones,
    states: lead.states,
    list_ids: lead.listIds,
    convoso_lead_id: lead.convosoLeadId,
    status: lead.status,
    final_outcome: lead.finalOutcome,
    attempts_today: attemptsToday,
    attempts_total: lead.attemptsTotal,
    last_outcome: lead.lastOutcome,
    next_attempt_at: lead.nextAttemptAt?.toISOString() ?? null,
    waiting_reason: lead.waitingReason,
    callback_at: lead.callbackAt?.toISOString() ?? null,
    consent: lead.consent
      ? {
          id: lead.consent.id,
          type: lead.consent.type,
          captured_at: lead.consent.capturedAt?.toISOString() ?? null,
          source: lead.consent.source,
          certificate_id: lead.consent.certificateId,
        }
      : null,
    created_at: lead.createdAt.toISOString(),
  };
}

export function attemptView(attempt: CallAttempt) {
  return {
    id: attempt.id,
    attempt_number: attempt.attemptNumber,
    campaign_day: attempt.campaignDay,
    dialed_at: attempt.dialedAt.toISOString(),
    state: attempt.state,
    origin: attempt.origin,
    call_id: attempt.blandCallId,
    outcome: attempt.outcome,
    outcome_reason: attempt.outcomeReason,
    answered_by: attempt.answeredBy,
    answered: attempt.answered,
    duration_seconds: attempt.durationSeconds,
    price: attempt.price,
    transferred: attempt.transferred,
    callback_at: attempt.callbackAt?.toISOString() ?? null,
    error_message: attempt.errorMessage,
    ended_at: attempt.endedAt?.toISOString() ?? null,
    result_source: attempt.resultSource,
  };
}

export async function leadViews(db: Db, leads: readonly Lead[], day: string) {
  const today = await countAttemptsOnDay(
    db,
    leads.map((lead) => lead.id),
    day,
  );
  return leads.map((lead) => leadView(lead, today.get(lead.id) ?? 0));
}
