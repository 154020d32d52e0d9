-- What a call's result writes (@redial/db writeResult), under redial_lead_guard: the attempt ended
-- with `ended` (call_attempts result columns), the lead's `lead_changes` (last outcome, callback,
-- bad-number cooldown, and completion or its next schedule) with its dial job due in
-- `job_delay_seconds` (NULL: none), the phone on our DNC list when `dnc_reason` is given, a
-- convoso-sync job when `sync` is given, and the webhook event's final result when `event` is
-- given. `stale`, nothing written, when the lead changed since it was read or the attempt already
-- has its result.
CREATE OR REPLACE FUNCTION redial_write_result(
  lead bigint, lead_version text, attempts_mark text, since timestamptz,
  attempt bigint, ended jsonb, lead_changes jsonb, job_delay_seconds double precision,
  dnc_reason text, dnc_source text, sync jsonb, event bigint, event_result text
) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  lead_phone text := redial_lead_guard(lead, lead_version, attempts_mark, since);
  r call_attempts;
BEGIN
  IF lead_phone IS NULL THEN RETURN 'stale'; END IF;
  r := jsonb_populate_record(NULL::call_attempts, ended);
  -- The attempt's first write: when it is not this lead's or has its result already, nothing is written.
  UPDATE call_attempts
  SET state = 'ended', bland_call_id = r.bland_call_id, outcome = r.outcome,
      outcome_reason = r.outcome_reason, raw_status = r.raw_status, answered_by = r.answered_by, answered = r.answered,
      duration_seconds = r.duration_seconds, price = r.price, transferred = r.transferred,
      transferred_to = r.transferred_to, callback_at = r.callback_at,
      error_message = r.error_message, ended_at = r.ended_at, result_source = r.result_source,
      webhook_received_at = coalesce(r.webhook_received_at, webhook_received_at)
  WHERE id = attempt AND lead_id = lead AND state <> 'ended';
  IF NOT FOUND THEN RETURN 'stale'; END IF;
  PERFORM redial_dial_job_set(lead, job_delay_seconds, redial_lead_dial_priority(redial_lead_update(lead, lead_changes)));
  IF dnc_reason IS NOT NULL THEN PERFORM dnc_phone_add(lead_phone, dnc_reason, dnc_source); END IF;
  IF sync IS NOT NULL THEN PERFORM redial_job_send('convoso-sync', sync); END IF;
  IF event IS NOT NULL THEN PERFORM webhook_event_mark(event, event_result, NULL); END IF;
  RETURN 'written';
END $$;
