-- The lead's one queued dial job: due `delay_seconds` from now, or none (NULL: not redialing).
CREATE OR REPLACE FUNCTION redial_dial_job_set(lead bigint, delay_seconds double precision) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF delay_seconds IS NULL THEN
    PERFORM redial_dial_job_delete(lead);
  ELSE
    PERFORM redial_dial_job_put(lead, delay_seconds);
  END IF;
END $$;
