-- Statement trigger on call_attempts: deleted calls leave every rollup.
CREATE OR REPLACE FUNCTION report_attempts_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_count_attempts((SELECT array_agg(o::call_attempts) FROM old_rows o), '{}');
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER report_attempts_deleted AFTER DELETE ON call_attempts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_attempts_deleted();
