-- Statement trigger on call_attempts: a call whose reported values changed (outcome, answered,
-- price, transferred, placed-ness, lead or day) moves its deltas. One row that keeps its lead, day,
-- placed-ness and transferred flag writes its call_days deltas directly; anything else takes
-- report_count_attempts.
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

CREATE OR REPLACE TRIGGER report_attempts_updated AFTER UPDATE ON call_attempts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_attempts_updated();
