-- A call's result that keeps the lead redialing: the attempt ended with `ended` (call_attempts
-- columns as JSON), the lead's outcome and schedule with its job moved, a convoso-sync job when
-- `sync` is given, and the webhook event marked processed. NULL (nothing written) when the lead
-- changed since it was read, or the attempt is no longer open.
CREATE OR REPLACE FUNCTION redial_record_result(
  lead bigint, lead_version text, attempts_mark text, since timestamptz, attempt bigint,
  ended jsonb, lead_status text, next_attempt timestamptz, waiting text, last text,
  callback timestamptz, bad_number_until_at timestamptz, job_delay_seconds double precision,
  sync jsonb, event bigint
) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  r call_attempts;
BEGIN
  PERFORM 1 FROM leads l
  WHERE l.id = lead AND l.xmin::text = lead_version AND l.status IN ('active', 'daily_max_reached')
  FOR UPDATE;
  IF NOT FOUND THEN RETURN NULL; END IF;
  PERFORM 1 FROM call_attempts a
  WHERE a.id = attempt AND a.lead_id = lead AND a.state IN ('dialing', 'in_progress')
  FOR UPDATE;
  IF NOT FOUND OR lead_attempts_mark(lead, since) IS DISTINCT FROM attempts_mark THEN
    RETURN NULL;
  END IF;
  r := jsonb_populate_record(NULL::call_attempts, ended);
  UPDATE call_attempts
  SET state = 'ended', bland_call_id = r.bland_call_id, outcome = r.outcome,
      outcome_reason = r.outcome_reason,
      raw_status = r.raw_status, answered_by = r.answered_by, answered = r.answered,
      duration_seconds = r.duration_seconds, price = r.price, transferred = r.transferred,
      transferred_to = r.transferred_to, callback_at = r.callback_at,
      error_message = r.error_message, ended_at = r.ended_at, result_source = r.result_source,
      webhook_received_at = coalesce(r.webhook_received_at, webhook_received_at)
  WHERE id = attempt;
  UPDATE leads
  SET status = lead_status, next_attempt_at = next_attempt, waiting_reason = waiting,
      last_outcome = last, callback_at = callback,
      bad_number_until = coalesce(bad_number_until_at, bad_number_until), updated_at = now()
  WHERE id = lead;
  PERFORM redial_dial_job_put(lead, job_delay_seconds);
  IF sync IS NOT NULL AND NOT redial_job_insert('convoso-sync', sync, NULL, 0, false) THEN
    RAISE EXCEPTION 'convoso-sync job for lead % was not queued (is the queue created?)', lead;
  END IF;
  IF event IS NOT NULL THEN
    UPDATE webhook_events SET result = 'processed', error = NULL, processed_at = now() WHERE id = event;
  END IF;
  RETURN 'processed';
END $$;
