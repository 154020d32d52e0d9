-- The lead's one queued dial job, due `delay_seconds` from now: pg-boss's upsert('dial',
-- {leadId}, {singletonKey, startAfter}) moves the newest queued job of the key, else inserts
-- one, else (a concurrent insert won) moves that one.
CREATE OR REPLACE FUNCTION redial_dial_job_put(lead bigint, delay_seconds double precision) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  due timestamptz := pgboss.job_now() + delay_seconds * interval '1 second';
BEGIN
  FOR pass IN 1..2 LOOP
    UPDATE pgboss.job j
    SET data = jsonb_build_object('leadId', lead), start_after = due,
        keep_until = due + (j.keep_until - j.start_after)
    WHERE j.name = 'dial' AND j.state < 'active'
      AND j.id = (SELECT q.id FROM pgboss.job q
                  WHERE q.name = 'dial' AND q.singleton_key = lead::text AND q.state < 'active'
                  ORDER BY q.created_on DESC LIMIT 1);
    IF FOUND THEN RETURN; END IF;
    IF pass = 1 AND redial_job_insert('dial', jsonb_build_object('leadId', lead), lead::text, delay_seconds, true) THEN
      RETURN;
    END IF;
  END LOOP;
  RAISE EXCEPTION 'dial job for lead % was not scheduled (is the dial queue created?)', lead;
END $$;
