-- A job on `queue` due `delay_seconds` from now by the database's clock, with the queue's options,
-- as pg-boss's insert writes it (upsert_by_key: as its upsert does). Skipped on a conflict with
-- the queue's policy: answers whether it was inserted.
CREATE OR REPLACE FUNCTION redial_job_insert(
  queue text, payload jsonb, singleton text, delay_seconds double precision, by_key boolean
) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO pgboss.job (
    id, name, data, priority, start_after, created_on, singleton_key, singleton_on, group_id,
    group_tier, expire_seconds, deletion_seconds, keep_until, retry_limit, retry_delay,
    retry_backoff, retry_delay_max, policy, dead_letter, heartbeat_seconds, blocked, blocking,
    pending_dependencies, trace_context, upsert_by_key)
  SELECT gen_random_uuid(), queue, payload, 0, s.due, pgboss.job_now(), singleton, NULL, NULL,
    NULL, q.expire_seconds, q.deletion_seconds, s.due + q.retention_seconds * interval '1 second',
    q.retry_limit, q.retry_delay, q.retry_backoff, q.retry_delay_max, q.policy, q.dead_letter,
    q.heartbeat_seconds, false, false, 0, NULL, CASE WHEN by_key THEN true END
  FROM (SELECT pgboss.job_now() + delay_seconds * interval '1 second' AS due) s
  JOIN pgboss.queue q ON q.name = queue
  ON CONFLICT DO NOTHING;
  RETURN FOUND;
END $$;
