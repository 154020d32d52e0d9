-- Rollups for @redial/reports (packages/reports): small tables of counts kept exact by statement
-- triggers on leads and call_attempts, so every report reads thousands of rows instead of millions.
-- Never edit this file once applied: add a new numbered migration instead.
--
-- Counters a whole fleet writes at once are sharded by lead id, so no single row (today's calls,
-- the current hour's new leads) becomes a lock every transaction waits on.

-- Leads by the UTC hour they were created and by where they stand. `ever_transferred`: the lead
-- has a call with transferred = true (kept in report_transferred_leads, one row per such lead).
CREATE TABLE report_leads (
  created_hour      timestamptz NOT NULL,
  shard             smallint NOT NULL,
  status            text NOT NULL,
  final_outcome     text,
  last_outcome      text,
  ever_transferred  boolean NOT NULL,
  leads             bigint NOT NULL,
  CONSTRAINT report_leads_key UNIQUE NULLS NOT DISTINCT
    (created_hour, shard, status, final_outcome, last_outcome, ever_transferred)
);

CREATE TABLE report_transferred_leads (
  lead_id  bigint PRIMARY KEY
);

-- Placed calls (state <> 'not_placed') by campaign day and outcome (NULL: no result yet).
CREATE TABLE report_call_days (
  campaign_day  date NOT NULL,
  shard         smallint NOT NULL,
  outcome       text,
  calls         bigint NOT NULL,
  answered      bigint NOT NULL,
  transferred   bigint NOT NULL,
  cost          numeric NOT NULL,
  CONSTRAINT report_call_days_key UNIQUE NULLS NOT DISTINCT (campaign_day, shard, outcome)
);

-- Leads called (a placed call) on campaign_day, by the previous day they were called (NULL: never
-- before, so campaign_day holds their first call ever). The leads called in from..to are the rows
-- of those days whose prev_day is NULL or before `from`: distinct over a period without a scan.
CREATE TABLE report_lead_days (
  campaign_day  date NOT NULL,
  prev_day      date,
  shard         smallint NOT NULL,
  leads         bigint NOT NULL,
  CONSTRAINT report_lead_days_key UNIQUE NULLS NOT DISTINCT (campaign_day, prev_day, shard)
);

-- The hour bucket of an instant, in UTC whatever the session time zone.
CREATE FUNCTION report_hour(at timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT date_trunc('hour', at, 'UTC') $$;

-- Add (sign +1) or remove (-1) leads rows to/from report_leads.
CREATE FUNCTION report_count_leads(batch leads[], sign integer) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO report_leads AS r (created_hour, shard, status, final_outcome, last_outcome, ever_transferred, leads)
  SELECT report_hour(l.created_at), (l.id % 4)::smallint, l.status, l.final_outcome, l.last_outcome,
         EXISTS (SELECT 1 FROM report_transferred_leads t WHERE t.lead_id = l.id), sign * count(*)
  FROM unnest(batch) l
  GROUP BY 1, 2, 3, 4, 5, 6
  ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT ON CONSTRAINT report_leads_key DO UPDATE SET leads = r.leads + excluded.leads
$$;

-- Statement triggers on leads: the rows whose bucket changed leave their old one, join the new.
CREATE FUNCTION report_leads_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_count_leads((SELECT array_agg(n::leads) FROM new_rows n), 1);
  RETURN NULL;
END $$;

CREATE FUNCTION report_leads_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  olds leads[];
  news leads[];
BEGIN
  SELECT array_agg(o::leads), array_agg(n::leads) INTO olds, news
  FROM old_rows o JOIN new_rows n ON n.id = o.id
  WHERE (o.created_at, o.status, o.final_outcome, o.last_outcome)
        IS DISTINCT FROM (n.created_at, n.status, n.final_outcome, n.last_outcome);
  IF olds IS NULL THEN RETURN NULL; END IF;
  PERFORM report_count_leads(olds, -1);
  PERFORM report_count_leads(news, 1);
  RETURN NULL;
END $$;

CREATE FUNCTION report_leads_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_count_leads((SELECT array_agg(o::leads) FROM old_rows o), -1);
  DELETE FROM report_transferred_leads t USING old_rows o WHERE t.lead_id = o.id;
  RETURN NULL;
END $$;

CREATE TRIGGER report_leads_inserted AFTER INSERT ON leads
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_leads_inserted();
CREATE TRIGGER report_leads_updated AFTER UPDATE ON leads
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_leads_updated();
CREATE TRIGGER report_leads_deleted AFTER DELETE ON leads
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_leads_deleted();

-- Apply a change of call_attempts rows (olds replaced by news; inserts have no olds, deletes no news).
CREATE FUNCTION report_count_attempts(olds call_attempts[], news call_attempts[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  changed bigint[];
  flipped_on bigint[];
  flipped_off bigint[];
  flipped bigint[];
BEGIN
  -- Calls per day: plain sums, nothing to lock.
  INSERT INTO report_call_days AS r (campaign_day, shard, outcome, calls, answered, transferred, cost)
  SELECT campaign_day, (lead_id % 16)::smallint, outcome, sum(sign),
         coalesce(sum(sign) FILTER (WHERE answered), 0), coalesce(sum(sign) FILTER (WHERE transferred), 0),
         coalesce(sum(sign * price), 0)
  FROM (SELECT a.*, -1 AS sign FROM unnest(olds) a UNION ALL SELECT a.*, 1 FROM unnest(news) a) c
  WHERE state <> 'not_placed'
  GROUP BY 1, 2, 3
  HAVING sum(sign) <> 0 OR sum(sign) FILTER (WHERE answered) <> 0 OR sum(sign) FILTER (WHERE transferred) <> 0
      OR sum(sign * price) <> 0
  ORDER BY 1, 2, 3
  ON CONFLICT ON CONSTRAINT report_call_days_key DO UPDATE
  SET calls = r.calls + excluded.calls, answered = r.answered + excluded.answered,
      transferred = r.transferred + excluded.transferred, cost = r.cost + excluded.cost;

  -- Leads whose set of called days or whose "ever transferred" may have changed.
  SELECT array_agg(DISTINCT l ORDER BY l) INTO changed
  FROM unnest(olds) o FULL JOIN unnest(news) n ON n.id = o.id,
       LATERAL unnest(ARRAY[o.lead_id, n.lead_id]) l
  WHERE l IS NOT NULL
    AND (o.lead_id, o.campaign_day, o.state <> 'not_placed', o.transferred IS TRUE)
        IS DISTINCT FROM (n.lead_id, n.campaign_day, n.state <> 'not_placed', n.transferred IS TRUE)
    AND (o.state <> 'not_placed' OR o.transferred OR n.state <> 'not_placed' OR n.transferred);
  IF changed IS NULL THEN RETURN; END IF;

  -- One writer per lead from here on (the dial loop already holds this lock: lockLead).
  PERFORM 1 FROM leads WHERE id = ANY (changed) ORDER BY id FOR NO KEY UPDATE;

  -- Their called days before and after the statement, as (day, previous called day) pairs.
  WITH after AS (
    SELECT id, lead_id, campaign_day, state FROM call_attempts WHERE lead_id = ANY (changed)
  ), before AS (
    SELECT * FROM after a WHERE NOT EXISTS (SELECT 1 FROM unnest(news) n WHERE n.id = a.id)
    UNION ALL
    SELECT o.id, o.lead_id, o.campaign_day, o.state FROM unnest(olds) o WHERE o.lead_id = ANY (changed)
  ), days AS (
    SELECT DISTINCT lead_id, campaign_day, -1 AS sign FROM before WHERE state <> 'not_placed'
    UNION ALL
    SELECT DISTINCT lead_id, campaign_day, 1 FROM after WHERE state <> 'not_placed'
  ), pairs AS (
    SELECT campaign_day, lag(campaign_day) OVER (PARTITION BY lead_id, sign ORDER BY campaign_day) AS prev_day,
           (lead_id % 16)::smallint AS shard, sign
    FROM days
  )
  INSERT INTO report_lead_days AS r (campaign_day, prev_day, shard, leads)
  SELECT campaign_day, prev_day, shard, sum(sign) FROM pairs
  GROUP BY 1, 2, 3 HAVING sum(sign) <> 0 ORDER BY 1, 2, 3
  ON CONFLICT ON CONSTRAINT report_lead_days_key DO UPDATE SET leads = r.leads + excluded.leads;

  -- "Ever transferred": move the existing leads whose flag flips to their other report_leads row.
  -- (A lead being deleted is gone from leads: its own trigger removes its row and its flag.)
  SELECT array_agg(f.id ORDER BY f.id) FILTER (WHERE f.now_t), array_agg(f.id ORDER BY f.id) FILTER (WHERE NOT f.now_t)
  INTO flipped_on, flipped_off
  FROM (
    SELECT l.id, EXISTS (SELECT 1 FROM call_attempts a WHERE a.lead_id = l.id AND a.transferred) AS now_t
    FROM leads l WHERE l.id = ANY (changed)
  ) f
  WHERE f.now_t <> EXISTS (SELECT 1 FROM report_transferred_leads t WHERE t.lead_id = f.id);
  IF flipped_on IS NULL AND flipped_off IS NULL THEN RETURN; END IF;
  flipped := coalesce(flipped_on, '{}') || coalesce(flipped_off, '{}');
  PERFORM report_count_leads(array_agg(l), -1) FROM leads l WHERE l.id = ANY (flipped);
  DELETE FROM report_transferred_leads WHERE lead_id = ANY (flipped_off);
  INSERT INTO report_transferred_leads SELECT unnest(flipped_on);
  PERFORM report_count_leads(array_agg(l), 1) FROM leads l WHERE l.id = ANY (flipped);
END $$;

CREATE FUNCTION report_attempts_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_count_attempts('{}', (SELECT array_agg(n::call_attempts) FROM new_rows n));
  RETURN NULL;
END $$;

CREATE FUNCTION report_attempts_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  olds call_attempts[];
  news call_attempts[];
BEGIN
  SELECT array_agg(o::call_attempts), array_agg(n::call_attempts) INTO olds, news
  FROM old_rows o JOIN new_rows n ON n.id = o.id
  WHERE (o.lead_id, o.campaign_day, o.state = 'not_placed', o.outcome, o.answered, o.transferred, o.price)
        IS DISTINCT FROM (n.lead_id, n.campaign_day, n.state = 'not_placed', n.outcome, n.answered, n.transferred, n.price);
  IF olds IS NULL THEN RETURN NULL; END IF;
  PERFORM report_count_attempts(olds, news);
  RETURN NULL;
END $$;

CREATE FUNCTION report_attempts_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_count_attempts((SELECT array_agg(o::call_attempts) FROM old_rows o), '{}');
  RETURN NULL;
END $$;

CREATE TRIGGER report_attempts_inserted AFTER INSERT ON call_attempts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_attempts_inserted();
CREATE TRIGGER report_attempts_updated AFTER UPDATE ON call_attempts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_attempts_updated();
CREATE TRIGGER report_attempts_deleted AFTER DELETE ON call_attempts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_attempts_deleted();

-- Recompute every rollup from leads and call_attempts (this migration's backfill; after a bulk
-- load with the report triggers disabled; after a TRUNCATE). Locks both tables against writes.
CREATE FUNCTION report_rollups_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE leads, call_attempts IN SHARE MODE;
  TRUNCATE report_leads, report_transferred_leads, report_call_days, report_lead_days;
  INSERT INTO report_transferred_leads
  SELECT DISTINCT lead_id FROM call_attempts WHERE transferred ORDER BY 1;
  INSERT INTO report_leads (created_hour, shard, status, final_outcome, last_outcome, ever_transferred, leads)
  SELECT report_hour(l.created_at), (l.id % 4)::smallint, l.status, l.final_outcome, l.last_outcome,
         t.lead_id IS NOT NULL, count(*)
  FROM leads l LEFT JOIN report_transferred_leads t ON t.lead_id = l.id
  GROUP BY 1, 2, 3, 4, 5, 6;
  INSERT INTO report_call_days (campaign_day, shard, outcome, calls, answered, transferred, cost)
  SELECT campaign_day, (lead_id % 16)::smallint, outcome, count(*), count(*) FILTER (WHERE answered),
         count(*) FILTER (WHERE transferred), coalesce(sum(price), 0)
  FROM call_attempts WHERE state <> 'not_placed'
  GROUP BY 1, 2, 3;
  INSERT INTO report_lead_days (campaign_day, prev_day, shard, leads)
  SELECT campaign_day, prev_day, shard, count(*)
  FROM (
    SELECT campaign_day, lag(campaign_day) OVER (PARTITION BY lead_id ORDER BY campaign_day) AS prev_day,
           (lead_id % 16)::smallint AS shard
    FROM (SELECT DISTINCT lead_id, campaign_day FROM call_attempts WHERE state <> 'not_placed') d
  ) p
  GROUP BY 1, 2, 3;
END $$;

CREATE FUNCTION report_rollups_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_rollups_rebuild();
  RETURN NULL;
END $$;

CREATE TRIGGER report_leads_truncated AFTER TRUNCATE ON leads
  FOR EACH STATEMENT EXECUTE FUNCTION report_rollups_truncated();
CREATE TRIGGER report_attempts_truncated AFTER TRUNCATE ON call_attempts
  FOR EACH STATEMENT EXECUTE FUNCTION report_rollups_truncated();

SELECT report_rollups_rebuild();
ANALYZE report_leads, report_transferred_leads, report_call_days, report_lead_days;

-- breakdown's daily_max_reached_today: the leads flagged daily_max_reached, read index-only in id
-- order and merged with today's called leads from call_attempts_placed_day_lead_idx (also in
-- lead id order), instead of fetching every lead of the period.
CREATE INDEX report_daily_max_leads_idx ON leads (id) INCLUDE (created_at) WHERE status = 'daily_max_reached';
