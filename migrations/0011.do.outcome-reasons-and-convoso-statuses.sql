-- Outcome truth (issue 12).
--
-- 1. Every call attempt stores why its outcome was chosen: the field or phrase that decided
--    (`transcript: "take me off your list"`, `pathway_tags: "SALE"`, `answered_by: "busy"`).
--    Written by saveAttemptResult (attemptResultColumns), the backfill import, and
--    redial_record_result below. NULL for attempts recorded before this migration.
ALTER TABLE call_attempts ADD COLUMN outcome_reason text;

-- 2. The Convoso account's status table (/status/search), cached for every process: the worker
--    (which holds the Convoso token) refreshes it, the API's status webhook reads it.
--    One row per status abbreviation; `fetched_at` says how old the copy is.
CREATE TABLE convoso_statuses (
  code text PRIMARY KEY,
  name text NOT NULL,
  final boolean NOT NULL,
  reached boolean NOT NULL,
  success boolean NOT NULL,
  dnc boolean NOT NULL,
  callback boolean NOT NULL,
  contact boolean NOT NULL,
  voicemail boolean NOT NULL,
  fetched_at timestamptz NOT NULL
);

-- 3. redial_record_result (migration 0010) names the attempt's columns one by one: it now writes
--    outcome_reason too. Same signature and behaviour otherwise.
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
