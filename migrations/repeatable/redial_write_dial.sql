-- What a dial writes (@redial/db writeDial), under redial_lead_guard: the attempt (dialing, numbered
-- after the lead's last attempt, given back ones included), the lead in progress (`lead_changes`:
-- its schedule and attempts_total, its calls placed or in flight) with its dial job moved to the
-- call's reconciliation deadline, and a DIAL_MAX_CONCURRENT slot. `stale`, nothing written, when the
-- lead changed since it was read or its phone is now on the DNC list. `fleet_limit`, nothing
-- written, over DIAL_MAX_PER_HOUR / _PER_DAY (when set: counted under one fleet-wide lock, 7301992,
-- held to the commit) or with no free slot (the attempt inserted for the slot is deleted again).
-- The dial's evidence (@redial/domain dialEvidence: what it was decided on) is written with the
-- attempt, in the same statement: a dial without evidence cannot exist (call_evidence refuses NULL).
DROP FUNCTION IF EXISTS redial_write_dial(
  bigint, text, text, timestamptz, integer, date, timestamptz, jsonb, double precision,
  integer, integer, integer, timestamptz);
DROP FUNCTION IF EXISTS redial_write_dial(
  bigint, text, text, timestamptz, integer, date, timestamptz, jsonb, double precision,
  integer, integer, integer, timestamptz, jsonb);
CREATE OR REPLACE FUNCTION redial_write_dial(
  lead bigint, lead_version text, attempts_mark text, since timestamptz,
  day date, dialed timestamptz, lead_changes jsonb,
  job_delay_seconds double precision,
  max_concurrent integer, max_per_hour integer, max_per_day integer, day_start timestamptz,
  dial_evidence jsonb,
  OUT result text, OUT attempt_id bigint, OUT fleet_limit text
)
LANGUAGE plpgsql AS $$
DECLARE
  lead_phone text := redial_lead_guard(lead, lead_version, attempts_mark, since);
BEGIN
  IF lead_phone IS NULL OR EXISTS (SELECT 1 FROM dnc_phones d WHERE d.phone = lead_phone) THEN
    result := 'stale';
    RETURN;
  END IF;
  IF max_per_hour IS NOT NULL OR max_per_day IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(7301992);
    fleet_limit := CASE
      WHEN max_per_hour IS NOT NULL AND (
        SELECT count(*) FROM call_attempts a
        WHERE a.dialed_at >= dialed - interval '1 hour' AND a.origin = 'dialer' AND a.state <> 'not_placed'
      ) >= max_per_hour THEN 'per_hour'
      WHEN max_per_day IS NOT NULL AND (
        SELECT count(*) FROM call_attempts a
        WHERE a.dialed_at >= day_start AND a.origin = 'dialer' AND a.state <> 'not_placed'
      ) >= max_per_day THEN 'per_day'
    END;
    IF fleet_limit IS NOT NULL THEN
      result := 'fleet_limit';
      RETURN;
    END IF;
  END IF;
  INSERT INTO call_attempts (lead_id, attempt_number, campaign_day, dialed_at, state)
  SELECT lead, coalesce(max(a.attempt_number), 0) + 1, day, dialed, 'dialing'
  FROM call_attempts a WHERE a.lead_id = lead
  RETURNING id INTO attempt_id;
  IF dial_slot_take(attempt_id, max_concurrent) IS NULL THEN
    DELETE FROM call_attempts WHERE id = attempt_id;
    attempt_id := NULL;
    result := 'fleet_limit';
    fleet_limit := 'concurrent';
    RETURN;
  END IF;
  INSERT INTO call_evidence (attempt_id, lead_id, decided_at, evidence)
  VALUES (attempt_id, lead, (dial_evidence ->> 'decided_at')::timestamptz, dial_evidence);
  PERFORM redial_dial_job_set(lead, job_delay_seconds, redial_lead_dial_priority(redial_lead_update(lead, lead_changes)));
  result := 'written';
END $$;
