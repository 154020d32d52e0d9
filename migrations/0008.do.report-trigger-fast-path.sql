-- The report triggers' one-row fast path. The dial loop changes one row per statement (the attempt
-- it inserts, the attempt it marks placed or ended, the lead it reschedules), and for each the
-- statement triggers of 0005/0006 built arrays of whole rows and ran the generic set-based
-- functions. A statement that touched exactly one row now writes the same delta rows directly:
--   * an attempt inserted for a lead already called that day (not transferred): one call_days delta;
--   * an attempt updated without changing its lead, day, placed-ness or transferred flag: the
--     call_days deltas of its old and new values (none when nothing reported changed);
--   * a lead updated: its old and new report_leads deltas (none when nothing reported changed).
-- Anything else (several rows, a lead's first call of a day, a transfer, a not_placed change, a
-- move to another lead or day) takes the generic path as before. The deltas are the ones the
-- generic functions write, row for row, so every report stays exact.
-- Never edit this file once applied: add a new numbered migration instead.

CREATE OR REPLACE FUNCTION report_attempts_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  n call_attempts;
BEGIN
  IF (SELECT count(*) FROM new_rows) = 1 THEN
    SELECT * INTO n FROM new_rows;
    IF n.transferred IS NOT TRUE AND (n.state = 'not_placed' OR EXISTS (
         SELECT 1 FROM call_attempts a
         WHERE a.lead_id = n.lead_id AND a.campaign_day = n.campaign_day AND a.state <> 'not_placed'
           AND a.id <> n.id)) THEN
      IF n.state <> 'not_placed' THEN
        INSERT INTO report_call_days_delta (campaign_day, shard, outcome, calls, answered, transferred, cost)
        VALUES (n.campaign_day, 0, n.outcome, 1, CASE WHEN n.answered THEN 1 ELSE 0 END, 0, coalesce(n.price, 0));
      END IF;
      RETURN NULL;
    END IF;
  END IF;
  PERFORM report_count_attempts('{}', (SELECT array_agg(x::call_attempts) FROM new_rows x));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION report_attempts_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  o call_attempts;
  n call_attempts;
  olds call_attempts[];
  news call_attempts[];
BEGIN
  IF (SELECT count(*) FROM new_rows) = 1 THEN
    SELECT * INTO o FROM old_rows;
    SELECT * INTO n FROM new_rows;
    IF o.id = n.id THEN
      IF (o.lead_id, o.campaign_day, o.state = 'not_placed', o.outcome, o.answered, o.transferred, o.price)
         IS NOT DISTINCT FROM
         (n.lead_id, n.campaign_day, n.state = 'not_placed', n.outcome, n.answered, n.transferred, n.price) THEN
        RETURN NULL;
      END IF;
      IF (o.lead_id, o.campaign_day, o.state <> 'not_placed', o.transferred IS TRUE)
         IS NOT DISTINCT FROM (n.lead_id, n.campaign_day, n.state <> 'not_placed', n.transferred IS TRUE) THEN
        INSERT INTO report_call_days_delta (campaign_day, shard, outcome, calls, answered, transferred, cost)
        SELECT c.campaign_day, 0, c.outcome, sum(c.sign),
               coalesce(sum(c.sign) FILTER (WHERE c.answered), 0),
               coalesce(sum(c.sign) FILTER (WHERE c.transferred), 0),
               coalesce(sum(c.sign * c.price), 0)
        FROM (VALUES (o.campaign_day, o.outcome, o.answered, o.transferred, o.price, o.state, -1),
                     (n.campaign_day, n.outcome, n.answered, n.transferred, n.price, n.state, 1))
             AS c(campaign_day, outcome, answered, transferred, price, state, sign)
        WHERE c.state <> 'not_placed'
        GROUP BY c.campaign_day, c.outcome
        HAVING sum(c.sign) <> 0 OR sum(c.sign) FILTER (WHERE c.answered) <> 0
            OR sum(c.sign) FILTER (WHERE c.transferred) <> 0 OR sum(c.sign * c.price) <> 0;
        RETURN NULL;
      END IF;
    END IF;
  END IF;
  SELECT array_agg(x::call_attempts), array_agg(y::call_attempts) INTO olds, news
  FROM old_rows x JOIN new_rows y ON y.id = x.id
  WHERE (x.lead_id, x.campaign_day, x.state = 'not_placed', x.outcome, x.answered, x.transferred, x.price)
        IS DISTINCT FROM (y.lead_id, y.campaign_day, y.state = 'not_placed', y.outcome, y.answered, y.transferred, y.price);
  IF olds IS NULL THEN RETURN NULL; END IF;
  PERFORM report_count_attempts(olds, news);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION report_leads_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  o leads;
  n leads;
  transferred boolean;
  olds leads[];
  news leads[];
BEGIN
  IF (SELECT count(*) FROM new_rows) = 1 THEN
    SELECT * INTO o FROM old_rows;
    SELECT * INTO n FROM new_rows;
    IF o.id = n.id THEN
      IF (o.created_at, o.status, o.final_outcome, o.last_outcome)
         IS NOT DISTINCT FROM (n.created_at, n.status, n.final_outcome, n.last_outcome) THEN
        RETURN NULL;
      END IF;
      transferred := EXISTS (SELECT 1 FROM report_transferred_leads t WHERE t.lead_id = n.id);
      INSERT INTO report_leads_delta (created_hour, shard, status, final_outcome, last_outcome, ever_transferred, leads)
      VALUES (report_hour(o.created_at), 0, o.status, o.final_outcome, o.last_outcome, transferred, -1),
             (report_hour(n.created_at), 0, n.status, n.final_outcome, n.last_outcome, transferred, 1);
      RETURN NULL;
    END IF;
  END IF;
  SELECT array_agg(x::leads), array_agg(y::leads) INTO olds, news
  FROM old_rows x JOIN new_rows y ON y.id = x.id
  WHERE (x.created_at, x.status, x.final_outcome, x.last_outcome)
        IS DISTINCT FROM (y.created_at, y.status, y.final_outcome, y.last_outcome);
  IF olds IS NULL THEN RETURN NULL; END IF;
  PERFORM report_count_leads(olds, -1);
  PERFORM report_count_leads(news, 1);
  RETURN NULL;
END $$;
