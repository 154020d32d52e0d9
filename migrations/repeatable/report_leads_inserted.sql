-- Statement triggers on leads: the rows whose bucket changed leave their old one, join the new.
CREATE OR REPLACE FUNCTION report_leads_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_count_leads((SELECT array_agg(n::leads) FROM new_rows n), 1);
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER report_leads_inserted AFTER INSERT ON leads
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_leads_inserted();
