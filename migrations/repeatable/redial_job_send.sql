-- A job on `queue` due now, as pg-boss's send() writes it; an error when the queue refused it.
CREATE OR REPLACE FUNCTION redial_job_send(queue text, payload jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT redial_job_insert(queue, payload, NULL, 0, false) THEN
    RAISE EXCEPTION '% job was not queued (is the queue created?): %', queue, payload;
  END IF;
END $$;
