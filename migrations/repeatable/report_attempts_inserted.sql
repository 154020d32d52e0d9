-- Statement trigger on call_attempts: inserted calls join report_call_days and, on a lead's
-- first call of a day, report_lead_days. One row on its own (the dial loop: a later call of the
-- day, or the first call of a day on the lead's latest called day) writes its deltas directly
-- under the lead's lock; a transfer, a backfilled earlier day or several rows take the generic
-- report_count_attempts, which writes the same deltas row for row.
CREATE OR REPLACE FUNCTION report_attempts_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  n call_attempts;
  prev date;
BEGIN
  IF (SELECT count(*) FROM new_rows) = 1 THEN
    SELECT * INTO n FROM new_rows;
    IF n.transferred IS NOT TRUE THEN
      IF n.state = 'not_placed' THEN
        RETURN NULL;
      END IF;
      IF NOT EXISTS (
           SELECT 1 FROM call_attempts a
           WHERE a.lead_id = n.lead_id AND a.campaign_day = n.campaign_day AND a.state <> 'not_placed'
             AND a.id <> n.id) THEN
        -- One writer per lead from here on (the dial loop already holds this lock: lockLead).
        PERFORM 1 FROM leads WHERE id = n.lead_id FOR NO KEY UPDATE;
        SELECT max(a.campaign_day) INTO prev FROM call_attempts a
        WHERE a.lead_id = n.lead_id AND a.state <> 'not_placed' AND a.id <> n.id;
        IF prev > n.campaign_day THEN
          PERFORM report_count_attempts('{}', ARRAY[n]);
          RETURN NULL;
        END IF;
        -- Equal: a call of that day committed while this one waited for the lock; the day counts already.
        IF prev IS DISTINCT FROM n.campaign_day THEN
          INSERT INTO report_lead_days_delta (campaign_day, prev_day, shard, leads)
          VALUES (n.campaign_day, prev, 0, 1);
        END IF;
      END IF;
      INSERT INTO report_call_days_delta (campaign_day, shard, outcome, calls, answered, transferred, cost)
      VALUES (n.campaign_day, 0, n.outcome, 1, CASE WHEN n.answered THEN 1 ELSE 0 END, 0, coalesce(n.price, 0));
      RETURN NULL;
    END IF;
  END IF;
  PERFORM report_count_attempts('{}', (SELECT array_agg(x::call_attempts) FROM new_rows x));
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER report_attempts_inserted AFTER INSERT ON call_attempts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_attempts_inserted();
