-- A lead's first call of a day, inserted alone, on the report triggers' one-row path. 0008 sent it
-- to the generic set-based function (1.9 ms of the attempt insert under the bench's load: it
-- rebuilds the lead's whole list of called days). The dial loop's first call of a day is always on
-- the lead's latest called day, so its called days only gain one at the end: the pair (this day,
-- the lead's previous called day) counts one more lead, and nothing else changes. That is written
-- directly, with the call's call_days delta, under the same lead lock the generic path takes. A
-- first call on a day before one already called (a backfill of history), a transfer, and several
-- rows take the generic path as before; the deltas are the ones it writes, row for row.
-- Never edit this file once applied: add a new numbered migration instead.

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
