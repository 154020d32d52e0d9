-- Report rollups without shared counters. Migration 0005's triggers added each change to a counter
-- row that every dial of the day also wrote (today's calls with no result yet, the leads of the
-- current hour): every dial and result transaction held such a row lock until it committed, and
-- the fleet's transactions queued behind each other on it (37 ms per attempt insert under load,
-- and deadlocks between crossing updates).
--
-- From here on the triggers only append delta rows, which no other transaction waits on; a
-- compaction (report_rollups_compact(), run every minute by the workers' report-compact cron)
-- folds them into the totals. Each rollup name is now a view of totals + pending deltas, so a
-- report sums both and is exact whether or not the compaction has run.
-- Never edit this file once applied: add a new numbered migration instead.

ALTER TABLE report_leads RENAME TO report_leads_totals;
ALTER TABLE report_call_days RENAME TO report_call_days_totals;
ALTER TABLE report_lead_days RENAME TO report_lead_days_totals;

CREATE TABLE report_leads_delta (
  created_hour      timestamptz NOT NULL,
  shard             smallint NOT NULL,
  status            text NOT NULL,
  final_outcome     text,
  last_outcome      text,
  ever_transferred  boolean NOT NULL,
  leads             bigint NOT NULL
);

CREATE TABLE report_call_days_delta (
  campaign_day  date NOT NULL,
  shard         smallint NOT NULL,
  outcome       text,
  calls         bigint NOT NULL,
  answered      bigint NOT NULL,
  transferred   bigint NOT NULL,
  cost          numeric NOT NULL
);

CREATE TABLE report_lead_days_delta (
  campaign_day  date NOT NULL,
  prev_day      date,
  shard         smallint NOT NULL,
  leads         bigint NOT NULL
);

CREATE VIEW report_leads AS
  SELECT created_hour, shard, status, final_outcome, last_outcome, ever_transferred, leads FROM report_leads_totals
  UNION ALL
  SELECT created_hour, shard, status, final_outcome, last_outcome, ever_transferred, leads FROM report_leads_delta;

CREATE VIEW report_call_days AS
  SELECT campaign_day, shard, outcome, calls, answered, transferred, cost FROM report_call_days_totals
  UNION ALL
  SELECT campaign_day, shard, outcome, calls, answered, transferred, cost FROM report_call_days_delta;

CREATE VIEW report_lead_days AS
  SELECT campaign_day, prev_day, shard, leads FROM report_lead_days_totals
  UNION ALL
  SELECT campaign_day, prev_day, shard, leads FROM report_lead_days_delta;

-- Add (sign +1) or remove (-1) leads rows: one delta row per group, shard 0 (nothing to spread).
CREATE OR REPLACE FUNCTION report_count_leads(batch leads[], sign integer) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO report_leads_delta (created_hour, shard, status, final_outcome, last_outcome, ever_transferred, leads)
  SELECT report_hour(l.created_at), 0, l.status, l.final_outcome, l.last_outcome,
         EXISTS (SELECT 1 FROM report_transferred_leads t WHERE t.lead_id = l.id), sign * count(*)
  FROM unnest(batch) l
  GROUP BY 1, 3, 4, 5, 6
$$;

-- As in 0005, with the two counter upserts replaced by delta inserts, and a lead's later dials of
-- a day no longer recounting its called days.
CREATE OR REPLACE FUNCTION report_count_attempts(olds call_attempts[], news call_attempts[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  changed bigint[];
  flipped_on bigint[];
  flipped_off bigint[];
  flipped bigint[];
BEGIN
  INSERT INTO report_call_days_delta (campaign_day, shard, outcome, calls, answered, transferred, cost)
  SELECT campaign_day, 0, outcome, sum(sign),
         coalesce(sum(sign) FILTER (WHERE answered), 0), coalesce(sum(sign) FILTER (WHERE transferred), 0),
         coalesce(sum(sign * price), 0)
  FROM (SELECT a.*, -1 AS sign FROM unnest(olds) a UNION ALL SELECT a.*, 1 FROM unnest(news) a) c
  WHERE state <> 'not_placed'
  GROUP BY 1, 3
  HAVING sum(sign) <> 0 OR sum(sign) FILTER (WHERE answered) <> 0 OR sum(sign) FILTER (WHERE transferred) <> 0
      OR sum(sign * price) <> 0;

  SELECT array_agg(DISTINCT l ORDER BY l) INTO changed
  FROM unnest(olds) o FULL JOIN unnest(news) n ON n.id = o.id,
       LATERAL unnest(ARRAY[o.lead_id, n.lead_id]) l
  WHERE l IS NOT NULL
    AND (o.lead_id, o.campaign_day, o.state <> 'not_placed', o.transferred IS TRUE)
        IS DISTINCT FROM (n.lead_id, n.campaign_day, n.state <> 'not_placed', n.transferred IS TRUE)
    AND (o.state <> 'not_placed' OR o.transferred OR n.state <> 'not_placed' OR n.transferred)
    -- The common insert, a lead's second and later dial of a day: its set of called days and its
    -- transferred flag stay as they were (another placed call of that day, committed and not in
    -- this statement, already counts the day).
    AND NOT (o.id IS NULL AND n.transferred IS NOT TRUE AND EXISTS (
          SELECT 1 FROM call_attempts a
          WHERE a.lead_id = n.lead_id AND a.campaign_day = n.campaign_day AND a.state <> 'not_placed'
            AND a.id <> ALL (SELECT x.id FROM unnest(news) x)));
  IF changed IS NULL THEN RETURN; END IF;

  -- One writer per lead from here on (the dial loop already holds this lock: lockLead).
  PERFORM 1 FROM leads WHERE id = ANY (changed) ORDER BY id FOR NO KEY UPDATE;

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
    SELECT campaign_day, lag(campaign_day) OVER (PARTITION BY lead_id, sign ORDER BY campaign_day) AS prev_day, sign
    FROM days
  )
  INSERT INTO report_lead_days_delta (campaign_day, prev_day, shard, leads)
  SELECT campaign_day, prev_day, 0, sum(sign) FROM pairs
  GROUP BY 1, 2 HAVING sum(sign) <> 0;

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

-- Any constant: one compaction at a time (a second one returns at once).
CREATE FUNCTION report_rollups_compact() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  folded bigint := 0;
  n bigint;
BEGIN
  IF NOT pg_try_advisory_xact_lock(7301993) THEN RETURN 0; END IF;
  -- A delta committed after this statement's snapshot is neither deleted nor added: the next run
  -- takes it. A delta is deleted and added in the same statement, so none is counted twice.
  WITH d AS (DELETE FROM report_leads_delta RETURNING *)
  INSERT INTO report_leads_totals AS r (created_hour, shard, status, final_outcome, last_outcome, ever_transferred, leads)
  SELECT created_hour, 0, status, final_outcome, last_outcome, ever_transferred, sum(leads)
  FROM d GROUP BY 1, 3, 4, 5, 6
  ON CONFLICT ON CONSTRAINT report_leads_key DO UPDATE SET leads = r.leads + excluded.leads;
  GET DIAGNOSTICS n = ROW_COUNT;
  folded := folded + n;

  WITH d AS (DELETE FROM report_call_days_delta RETURNING *)
  INSERT INTO report_call_days_totals AS r (campaign_day, shard, outcome, calls, answered, transferred, cost)
  SELECT campaign_day, 0, outcome, sum(calls), sum(answered), sum(transferred), sum(cost)
  FROM d GROUP BY 1, 3
  ON CONFLICT ON CONSTRAINT report_call_days_key DO UPDATE
  SET calls = r.calls + excluded.calls, answered = r.answered + excluded.answered,
      transferred = r.transferred + excluded.transferred, cost = r.cost + excluded.cost;
  GET DIAGNOSTICS n = ROW_COUNT;
  folded := folded + n;

  WITH d AS (DELETE FROM report_lead_days_delta RETURNING *)
  INSERT INTO report_lead_days_totals AS r (campaign_day, prev_day, shard, leads)
  SELECT campaign_day, prev_day, 0, sum(leads)
  FROM d GROUP BY 1, 2
  ON CONFLICT ON CONSTRAINT report_lead_days_key DO UPDATE SET leads = r.leads + excluded.leads;
  GET DIAGNOSTICS n = ROW_COUNT;
  folded := folded + n;

  -- Groups that netted to nothing (a lead's status it has left) are kept out of the totals.
  DELETE FROM report_leads_totals WHERE leads = 0;
  DELETE FROM report_call_days_totals WHERE calls = 0 AND answered = 0 AND transferred = 0 AND cost = 0;
  DELETE FROM report_lead_days_totals WHERE leads = 0;
  RETURN folded;
END $$;

-- Recompute every rollup from leads and call_attempts (after a bulk load with the report triggers
-- disabled; after a TRUNCATE). Locks both tables against writes.
CREATE OR REPLACE FUNCTION report_rollups_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE leads, call_attempts IN SHARE MODE;
  TRUNCATE report_leads_totals, report_leads_delta, report_transferred_leads, report_call_days_totals,
           report_call_days_delta, report_lead_days_totals, report_lead_days_delta;
  INSERT INTO report_transferred_leads
  SELECT DISTINCT lead_id FROM call_attempts WHERE transferred ORDER BY 1;
  INSERT INTO report_leads_totals (created_hour, shard, status, final_outcome, last_outcome, ever_transferred, leads)
  SELECT report_hour(l.created_at), 0, l.status, l.final_outcome, l.last_outcome, t.lead_id IS NOT NULL, count(*)
  FROM leads l LEFT JOIN report_transferred_leads t ON t.lead_id = l.id
  GROUP BY 1, 3, 4, 5, 6;
  INSERT INTO report_call_days_totals (campaign_day, shard, outcome, calls, answered, transferred, cost)
  SELECT campaign_day, 0, outcome, count(*), count(*) FILTER (WHERE answered),
         count(*) FILTER (WHERE transferred), coalesce(sum(price), 0)
  FROM call_attempts WHERE state <> 'not_placed'
  GROUP BY 1, 3;
  INSERT INTO report_lead_days_totals (campaign_day, prev_day, shard, leads)
  SELECT campaign_day, prev_day, 0, count(*)
  FROM (
    SELECT campaign_day, lag(campaign_day) OVER (PARTITION BY lead_id ORDER BY campaign_day) AS prev_day
    FROM (SELECT DISTINCT lead_id, campaign_day FROM call_attempts WHERE state <> 'not_placed') d
  ) p
  GROUP BY 1, 2;
END $$;

-- The sharded rows of 0005 become one row per group.
SELECT report_rollups_rebuild();
ANALYZE report_leads_totals, report_transferred_leads, report_call_days_totals, report_lead_days_totals;
