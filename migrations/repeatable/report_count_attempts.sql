-- Apply a change of call_attempts rows (olds replaced by news; inserts have no olds, deletes no
-- news) to the rollups as delta rows: calls per day, the leads' called days (a lead's later dials
-- of a day do not recount its called days), and the leads whose "ever transferred" flips.
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
  FROM unnest(olds) o
  FULL JOIN (SELECT x.*, count(*) FILTER (WHERE x.state <> 'not_placed')
                           OVER (PARTITION BY x.lead_id, x.campaign_day) AS placed_that_day
             FROM unnest(news) x) n ON n.id = o.id,
       LATERAL unnest(ARRAY[o.lead_id, n.lead_id]) l
  WHERE l IS NOT NULL
    AND (o.lead_id, o.campaign_day, o.state <> 'not_placed', o.transferred IS TRUE)
        IS DISTINCT FROM (n.lead_id, n.campaign_day, n.state <> 'not_placed', n.transferred IS TRUE)
    AND (o.state <> 'not_placed' OR o.transferred OR n.state <> 'not_placed' OR n.transferred)
    -- The common insert, a lead's second and later dial of a day: its set of called days and its
    -- transferred flag stay as they were (another placed call of that day, committed and not in
    -- this statement, already counts the day): the lead's placed calls of that day in the table
    -- outnumber this statement's. Counted by call_attempts_placed_day_lead_idx, row by row: "a placed
    -- call whose id is not among this statement's" walked the statement's rows once per row
    -- (`<> ALL`: a backfill batch of 8,000 calls spent 7.2 s in this trigger).
    AND NOT (o.id IS NULL AND n.transferred IS NOT TRUE AND (
          SELECT count(*) FROM call_attempts a
          WHERE a.lead_id = n.lead_id AND a.campaign_day = n.campaign_day AND a.state <> 'not_placed'
        ) > n.placed_that_day);
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
