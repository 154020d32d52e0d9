-- TRUNCATE of leads or call_attempts: every rollup is rebuilt from what is left.
CREATE OR REPLACE FUNCTION report_rollups_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_rollups_rebuild();
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER report_leads_truncated AFTER TRUNCATE ON leads
  FOR EACH STATEMENT EXECUTE FUNCTION report_rollups_truncated();
CREATE OR REPLACE TRIGGER report_attempts_truncated AFTER TRUNCATE ON call_attempts
  FOR EACH STATEMENT EXECUTE FUNCTION report_rollups_truncated();
