-- Every write of ours to pg-boss's tables (pgboss.*), in one file, verified against pg-boss 12.38.0
-- (its schema version 46): the rows these functions write are compared with the rows pg-boss's own
-- send(), upsert() and deleteJob() write by packages/jobs/test/job-table-writes.test.ts, which also
-- fails on any other installed pg-boss version until this file is checked against it again (see
-- packages/jobs/README.md). Installed by ensureQueues (packages/jobs/src/job-table.ts) once
-- pg-boss's schema exists, whenever this file changed; the lead writers of migrations/repeatable
-- call them, so a dial or a result moves its lead's job in the same statement.
-- Why not pg-boss's API: a dial and a result are one statement each (a read before it); upsert()
-- inside the writer's transaction costs a transaction and two statements more per write
-- (docs/performance.md has the measurement).

-- Jobs on `queue`, one per element of the arrays: payloads[i] under singletons[i], due
-- delay_seconds[i] from now by the database's clock, at job_priorities[i], with the queue's options,
-- as pg-boss's insert writes them (upsert_by_key: as its upsert does). A job conflicting with the
-- queue's policy is skipped: answers how many were inserted. Our one INSERT into pgboss.job.
CREATE OR REPLACE FUNCTION redial_jobs_insert(
  queue text, payloads jsonb[], singletons text[], delay_seconds double precision[], by_key boolean,
  job_priorities integer[]
) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  inserted integer;
BEGIN
  INSERT INTO pgboss.job (
    id, name, data, priority, start_after, created_on, singleton_key, singleton_on, group_id,
    group_tier, expire_seconds, deletion_seconds, keep_until, retry_limit, retry_delay,
    retry_backoff, retry_delay_max, policy, dead_letter, heartbeat_seconds, blocked, blocking,
    pending_dependencies, trace_context, upsert_by_key)
  SELECT gen_random_uuid(), q.name, n.payload, n.job_priority, s.due, pgboss.job_now(), n.singleton,
    NULL, NULL, NULL, q.expire_seconds, q.deletion_seconds,
    s.due + q.retention_seconds * interval '1 second', q.retry_limit, q.retry_delay,
    q.retry_backoff, q.retry_delay_max, q.policy, q.dead_letter, q.heartbeat_seconds, false,
    false, 0, NULL, CASE WHEN by_key THEN true END
  FROM unnest(payloads, singletons, delay_seconds, job_priorities) AS n(payload, singleton, delay, job_priority)
  CROSS JOIN LATERAL (SELECT pgboss.job_now() + n.delay * interval '1 second' AS due) s
  JOIN pgboss.queue q ON q.name = queue
  ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS inserted = ROW_COUNT;
  RETURN inserted;
END $$;

-- One job, as redial_jobs_insert writes it: answers whether it was inserted.
CREATE OR REPLACE FUNCTION redial_job_insert(
  queue text, payload jsonb, singleton text, delay_seconds double precision, by_key boolean,
  job_priority integer
) RETURNS boolean
LANGUAGE sql AS $$
  SELECT redial_jobs_insert(queue, ARRAY[payload], ARRAY[singleton], ARRAY[delay_seconds], by_key,
                            ARRAY[job_priority]) = 1
$$;

-- The same at priority 0 (pg-boss's default).
CREATE OR REPLACE FUNCTION redial_job_insert(
  queue text, payload jsonb, singleton text, delay_seconds double precision, by_key boolean
) RETURNS boolean
LANGUAGE sql AS $$ SELECT redial_job_insert(queue, payload, singleton, delay_seconds, by_key, 0) $$;

-- A job on `queue` due now, as pg-boss's send() writes it; an error when the queue refused it.
CREATE OR REPLACE FUNCTION redial_job_send(queue text, payload jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT redial_job_insert(queue, payload, NULL, 0, false) THEN
    RAISE EXCEPTION '% job was not queued (is the queue created?): %', queue, payload;
  END IF;
END $$;

-- The lead's one queued dial job, due `delay_seconds` from now at `job_priority` (pg-boss fetches
-- the higher first, then by creation): pg-boss's upsert('dial', {leadId}, {singletonKey,
-- startAfter, priority}) moves the newest queued job of the key, else inserts one, else (a
-- concurrent insert won) moves that one.
CREATE OR REPLACE FUNCTION redial_dial_job_put(lead bigint, delay_seconds double precision, job_priority integer)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  due timestamptz := pgboss.job_now() + delay_seconds * interval '1 second';
BEGIN
  FOR pass IN 1..2 LOOP
    UPDATE pgboss.job j
    SET data = jsonb_build_object('leadId', lead), start_after = due, priority = job_priority,
        keep_until = due + (j.keep_until - j.start_after)
    WHERE j.name = 'dial' AND j.state < 'active'
      AND j.id = (SELECT q.id FROM pgboss.job q
                  WHERE q.name = 'dial' AND q.singleton_key = lead::text AND q.state < 'active'
                  ORDER BY q.created_on DESC LIMIT 1);
    IF FOUND THEN RETURN; END IF;
    IF pass = 1 AND redial_job_insert('dial', jsonb_build_object('leadId', lead), lead::text, delay_seconds, true, job_priority) THEN
      RETURN;
    END IF;
  END LOOP;
  RAISE EXCEPTION 'dial job for lead % was not scheduled (is the dial queue created?)', lead;
END $$;

-- The same at priority 0 (its checksum comment marks this file's installed version: job-table.ts).
CREATE OR REPLACE FUNCTION redial_dial_job_put(lead bigint, delay_seconds double precision) RETURNS void
LANGUAGE sql AS $$ SELECT redial_dial_job_put(lead, delay_seconds, 0) $$;

-- The first dial job of many leads at once (new leads of a bulk intake's chunk, none with a job
-- yet), each as redial_dial_job_put inserts one: the row pg-boss's upsert('dial', {leadId},
-- {singletonKey, startAfter, priority}) writes for a key without a queued job (redial_jobs_insert,
-- upsert_by_key), due `delay_seconds[i]` from now at `job_priorities[i]`. One INSERT for all; an
-- error when any was refused (the lead had a queued job already, or no dial queue).
CREATE OR REPLACE FUNCTION redial_dial_jobs_insert(
  leads bigint[], delay_seconds double precision[], job_priorities integer[]
) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  inserted integer := redial_jobs_insert('dial',
    ARRAY(SELECT jsonb_build_object('leadId', u.lead) FROM unnest(leads) WITH ORDINALITY AS u(lead, i) ORDER BY u.i),
    leads::text[], delay_seconds, true, job_priorities);
BEGIN
  IF inserted <> coalesce(cardinality(leads), 0) THEN
    RAISE EXCEPTION '% of % dial jobs were not scheduled (a lead had one queued already, or is the dial queue created?)',
      coalesce(cardinality(leads), 0) - inserted, coalesce(cardinality(leads), 0);
  END IF;
END $$;

-- The lead's queued dial job deleted (the lead completed or paused), as pg-boss's deleteJob does it
-- for the jobs findJobs(key, queued) finds. A running dial job is left to finish.
CREATE OR REPLACE FUNCTION redial_dial_job_delete(lead bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM pgboss.job WHERE name = 'dial' AND singleton_key = lead::text AND state < 'active';
END $$;

-- The lead's one queued dial job: due `delay_seconds` from now at `job_priority`, or none (NULL:
-- not redialing).
CREATE OR REPLACE FUNCTION redial_dial_job_set(lead bigint, delay_seconds double precision, job_priority integer)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF delay_seconds IS NULL THEN
    PERFORM redial_dial_job_delete(lead);
  ELSE
    PERFORM redial_dial_job_put(lead, delay_seconds, job_priority);
  END IF;
END $$;

-- The same at priority 0.
CREATE OR REPLACE FUNCTION redial_dial_job_set(lead bigint, delay_seconds double precision) RETURNS void
LANGUAGE sql AS $$ SELECT redial_dial_job_set(lead, delay_seconds, 0) $$;
