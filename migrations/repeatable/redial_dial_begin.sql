-- The dial transaction: the attempt, the lead in progress with its job at the reconciliation
-- deadline, and a DIAL_MAX_CONCURRENT slot. NULL (nothing written) when the lead changed since
-- it was read at `lead_version` (its row's xmin) and `attempts_mark`, is no longer dialable, or its
-- phone is on the DNC list. No free slot raises RD001: the statement, attempt included, is undone.
CREATE OR REPLACE FUNCTION redial_dial_begin(
  lead bigint, lead_version text, attempts_mark text, since timestamptz, attempt_number integer,
  day date, dialed timestamptz, next_attempt timestamptz, waiting text,
  job_delay_seconds double precision, max_concurrent integer
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  lead_phone text;
  attempt bigint;
BEGIN
  SELECT l.phone INTO lead_phone FROM leads l
  WHERE l.id = lead AND l.xmin::text = lead_version AND l.status IN ('active', 'daily_max_reached')
  FOR UPDATE;
  IF NOT FOUND THEN RETURN NULL; END IF;
  -- Statements after the lock see every commit before it (READ COMMITTED, a new snapshot each).
  IF lead_attempts_mark(lead, since) IS DISTINCT FROM attempts_mark
     OR EXISTS (SELECT 1 FROM dnc_phones d WHERE d.phone = lead_phone) THEN
    RETURN NULL;
  END IF;
  INSERT INTO call_attempts (lead_id, attempt_number, campaign_day, dialed_at, state)
  VALUES (lead, attempt_number, day, dialed, 'dialing')
  RETURNING id INTO attempt;
  UPDATE leads
  SET status = 'active', next_attempt_at = next_attempt, waiting_reason = waiting,
      attempts_total = attempt_number, updated_at = now()
  WHERE id = lead;
  PERFORM redial_dial_job_put(lead, job_delay_seconds);
  IF dial_slot_take(attempt, max_concurrent) IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'RD001',
      MESSAGE = format('fleet limit: %s calls in progress (DIAL_MAX_CONCURRENT)', max_concurrent);
  END IF;
  RETURN attempt;
END $$;
