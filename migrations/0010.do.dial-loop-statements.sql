-- The dial loop's writes, each in one statement. A dial was ten round trips to PostgreSQL (begin,
-- lock the lead, read its facts, insert the attempt, update the lead, two for pg-boss's upsert,
-- take a slot, commit, mark it placed) and a result eleven; on this project's machines a round
-- trip costs more CPU than the work it carries. The dialer and the webhook now read a lead's facts
-- without a lock, decide with the rules engine, and hand the writes to one of the functions
-- below, which locks the lead, checks that nothing the decision read has changed since (the lead
-- row's version, its recent attempts, the DNC list) and writes everything in the statement's
-- transaction. When anything changed, the function writes nothing and answers NULL: the caller
-- decides again on the locked path (@redial/services dial-lead.ts, record-call-result.ts).
--
-- The dial queue's job is moved or inserted here as pg-boss's upsert and send do it, written
-- against pg-boss's schema version 46 (pg-boss 12.38): the runtime uses these functions only when
-- pgboss.version says 46, and packages/services/test/single-statement-writes.test.ts compares the rows they
-- write with pg-boss's own, column by column.
-- Never edit this file once applied: add a new numbered migration instead.

-- What a decision read of a lead's attempts: those since `since` and any still open, counted by
-- state with the newest id. A call placed, ended or given back meanwhile changes it; a call that
-- was dialing becoming in progress (its call id stored) does not.
CREATE FUNCTION lead_attempts_mark(lead bigint, since timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT count(*) || ':' || coalesce(max(id), 0) || ':' || count(*) FILTER (WHERE state = 'ended')
         || ':' || count(*) FILTER (WHERE state = 'not_placed')
  FROM call_attempts
  WHERE lead_id = lead AND (dialed_at >= since OR state IN ('dialing', 'in_progress'))
$$;

-- A job on `queue` due `delay_seconds` from now by the database's clock, with the queue's options,
-- as pg-boss's insert writes it (upsert_by_key: as its upsert does). Skipped on a conflict with
-- the queue's policy: answers whether it was inserted.
CREATE FUNCTION redial_job_insert(
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

-- The lead's one queued dial job, due `delay_seconds` from now: pg-boss's upsert('dial',
-- {leadId}, {singletonKey, startAfter}) moves the newest queued job of the key, else inserts
-- one, else (a concurrent insert won) moves that one.
CREATE FUNCTION redial_dial_job_put(lead bigint, delay_seconds double precision) RETURNS void
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

-- The dial transaction: the attempt, the lead in progress with its job at the reconciliation
-- deadline, and a DIAL_MAX_CONCURRENT slot. NULL (nothing written) when the lead changed since
-- it was read at `lead_version` (its row's xmin) and `attempts_mark`, is no longer dialable, or its
-- phone is on the DNC list. No free slot raises RD001: the statement, attempt included, is undone.
CREATE FUNCTION redial_dial_begin(
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

-- A call's result that keeps the lead redialing: the attempt ended with `ended` (call_attempts
-- columns as JSON), the lead's outcome and schedule with its job moved, a convoso-sync job when
-- `sync` is given, and the webhook event marked processed. NULL (nothing written) when the lead
-- changed since it was read, or the attempt is no longer open.
CREATE FUNCTION redial_record_result(
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
