-- Statement trigger on leads: a row whose report bucket (status, outcomes, hour) changed leaves
-- its old bucket and joins the new one. One row on its own is written directly (the dial loop's
-- case); anything else takes the set-based report_count_leads.
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

CREATE OR REPLACE TRIGGER report_leads_updated AFTER UPDATE ON leads
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_leads_updated();
