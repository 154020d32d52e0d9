-- Statement trigger on leads: deleted leads leave their bucket and their transferred flag.
CREATE OR REPLACE FUNCTION report_leads_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_count_leads((SELECT array_agg(o::leads) FROM old_rows o), -1);
  DELETE FROM report_transferred_leads t USING old_rows o WHERE t.lead_id = o.id;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER report_leads_deleted AFTER DELETE ON leads
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_leads_deleted();
