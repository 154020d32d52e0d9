-- Statement trigger on leads: a row whose report bucket (status, outcomes, hour) changed leaves
-- its old bucket and joins the new one. One row on its own is written directly (the dial loop's
-- case); anything else one set-based INSERT of the groups' net changes.
CREATE OR REPLACE FUNCTION report_leads_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  o leads;
  n leads;
  transferred boolean;
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
  -- Set-based straight from the transition tables (the daily reset's batches, an operator's
  -- bulk action): one INSERT, no arrays of whole rows.
  INSERT INTO report_leads_delta (created_hour, shard, status, final_outcome, last_outcome, ever_transferred, leads)
  SELECT report_hour(c.created_at), 0, c.status, c.final_outcome, c.last_outcome,
         t.lead_id IS NOT NULL, sum(c.sign)
  FROM (
    SELECT x.id, x.created_at, x.status, x.final_outcome, x.last_outcome, -1 AS sign
    FROM old_rows x JOIN new_rows y ON y.id = x.id
    WHERE (x.created_at, x.status, x.final_outcome, x.last_outcome)
          IS DISTINCT FROM (y.created_at, y.status, y.final_outcome, y.last_outcome)
    UNION ALL
    SELECT y.id, y.created_at, y.status, y.final_outcome, y.last_outcome, 1
    FROM old_rows x JOIN new_rows y ON y.id = x.id
    WHERE (x.created_at, x.status, x.final_outcome, x.last_outcome)
          IS DISTINCT FROM (y.created_at, y.status, y.final_outcome, y.last_outcome)
  ) c LEFT JOIN report_transferred_leads t ON t.lead_id = c.id
  GROUP BY 1, 3, 4, 5, 6
  HAVING sum(c.sign) <> 0;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER report_leads_updated AFTER UPDATE ON leads
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_leads_updated();
