-- A lead's new schedule (@redial/db writeSchedule), under redial_lead_guard: its `lead_changes`
-- (status, next attempt, waiting reason) and its dial job due in `job_delay_seconds` (NULL: none).
-- With `not_placed_attempt`, a dial Bland certainly did not place is given back first (it counts
-- nowhere: not in the lead's attempts_total, so not toward REDIAL_MAX_TOTAL_ATTEMPTS nor the
-- progressive interval's step; it keeps its attempt number); `lead_changes` NULL then leaves the
-- lead's schedule as it is (completed or paused meanwhile).
-- `stale`, nothing written, when the lead changed since it was read.
CREATE OR REPLACE FUNCTION redial_write_schedule(
  lead bigint, lead_version text, attempts_mark text, since timestamptz,
  lead_changes jsonb, job_delay_seconds double precision,
  not_placed_attempt bigint, not_placed_reason text, not_placed_at timestamptz
) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  changes jsonb := lead_changes;
  changed leads;
BEGIN
  IF redial_lead_guard(lead, lead_version, attempts_mark, since) IS NULL THEN RETURN 'stale'; END IF;
  IF not_placed_attempt IS NOT NULL THEN
    UPDATE call_attempts SET state = 'not_placed', error_message = not_placed_reason, ended_at = not_placed_at
    WHERE id = not_placed_attempt AND state IN ('dialing', 'in_progress');
    -- One call fewer, in the lead's one UPDATE (with its schedule, when it has one).
    IF FOUND THEN
      changes := coalesce(changes, '{}'::jsonb) || jsonb_build_object(
        'attempts_total', (SELECT greatest(l.attempts_total - 1, 0) FROM leads l WHERE l.id = lead));
    END IF;
  END IF;
  IF changes IS NOT NULL THEN changed := redial_lead_update(lead, changes); END IF;
  -- The job's priority from the row as changed, as the other writers take it (no second read).
  IF lead_changes IS NOT NULL THEN
    PERFORM redial_dial_job_set(lead, job_delay_seconds, redial_lead_dial_priority(changed));
  END IF;
  RETURN 'written';
END $$;
