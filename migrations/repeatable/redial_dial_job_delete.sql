-- The lead's queued dial job deleted (the lead completed or paused), as pg-boss's deleteJob does it
-- for the jobs findJobs(key, queued) finds. A running dial job is left to finish.
CREATE OR REPLACE FUNCTION redial_dial_job_delete(lead bigint) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM pgboss.job WHERE name = 'dial' AND singleton_key = lead::text AND state < 'active'
$$;
