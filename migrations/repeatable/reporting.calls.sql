-- One row per call: a placed attempt (a not_placed attempt, never dialed by Bland, is no call).
CREATE OR REPLACE VIEW reporting.calls AS
SELECT a.id AS call_id,
       a.lead_id,
       a.attempt_number,
       a.campaign_day,
       a.dialed_at,
       a.ended_at,
       a.origin,
       a.state = 'ended' AS ended,
       a.state IN ('dialing', 'in_progress') AS in_progress,
       a.outcome,
       a.answered IS TRUE AS answered,
       (a.answered IS TRUE OR a.transferred IS TRUE) AS reached,
       a.transferred IS TRUE AS transfer,
       EXISTS (SELECT 1 FROM public.call_attempts b
               WHERE b.lead_id = a.lead_id AND b.state <> 'not_placed'
                 AND (b.campaign_day, b.dialed_at, b.id) < (a.campaign_day, a.dialed_at, a.id)) AS redial,
       a.duration_seconds,
       coalesce(a.price, 0) AS cost,
       a.outcome_reason
FROM public.call_attempts a
WHERE a.state <> 'not_placed';

COMMENT ON VIEW reporting.calls IS
  'One row per call: an attempt Bland placed (dialing, in progress or ended). Attempts never placed are not calls.';
COMMENT ON COLUMN reporting.calls.call_id IS 'The call''s id (call_attempts.id).';
COMMENT ON COLUMN reporting.calls.lead_id IS 'The lead called (reporting.leads.lead_id).';
COMMENT ON COLUMN reporting.calls.attempt_number IS 'The lead''s attempt number, 1 for its first attempt.';
COMMENT ON COLUMN reporting.calls.campaign_day IS 'The campaign day the call was dialed on (campaign timezone).';
COMMENT ON COLUMN reporting.calls.dialed_at IS 'When the call was dialed.';
COMMENT ON COLUMN reporting.calls.ended_at IS 'When the call ended (null while in progress).';
COMMENT ON COLUMN reporting.calls.origin IS 'dialer (placed by Redial) or backfill (imported from Bland''s history).';
COMMENT ON COLUMN reporting.calls.ended IS 'The call has a result (an outcome): counted in calls_ended.';
COMMENT ON COLUMN reporting.calls.in_progress IS 'Dialing or in progress, no result yet: counted in calls_in_progress, in no rate''s divisor.';
COMMENT ON COLUMN reporting.calls.outcome IS 'The call''s outcome (SALE, DNC, TRANSFERRED, CALLBACK, VOICEMAIL, NO_ANSWER, BUSY, NOT_INTERESTED, FAILED, UNKNOWN); null while in progress.';
COMMENT ON COLUMN reporting.calls.answered IS 'Answered: a human, at least ANSWERED_MIN_SECONDS (20) seconds, decided once when the result arrived.';
COMMENT ON COLUMN reporting.calls.reached IS 'Reached someone: answered, or transferred to a closer. The divisor of transfer_rate, the numerator of connectivity_rate.';
COMMENT ON COLUMN reporting.calls.transfer IS 'Handed to a closer (Bland''s transfer), whatever the outcome: counted in transfers. A TRANSFERRED outcome always is one; a SALE or DNC call may be.';
COMMENT ON COLUMN reporting.calls.redial IS 'Not the lead''s first call ever (its first call is its earliest by campaign day, then dialed_at).';
COMMENT ON COLUMN reporting.calls.duration_seconds IS 'Length of the call in seconds (null while in progress).';
COMMENT ON COLUMN reporting.calls.cost IS 'What Bland charged for the call, USD (0 until its result arrives).';
COMMENT ON COLUMN reporting.calls.outcome_reason IS 'Which field or phrase decided the outcome (e.g. transcript: "take me off your list"); null while in progress and for calls recorded before reasons were kept.';
