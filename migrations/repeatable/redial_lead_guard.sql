-- The guard of every lead writer (redial_write_*): lock the lead's row and check that nothing the
-- caller's plan read has changed since. `lead_version` (the row's xmin) and `attempts_mark`
-- (lead_attempts_mark over `since`) are what the caller read without a lock; both NULL when the
-- caller's transaction already holds the lock and read after it. Answers the lead's phone when the
-- plan may be written, NULL when the lead is gone or changed: nothing is written, the caller reads
-- and plans again.
CREATE OR REPLACE FUNCTION redial_lead_guard(
  lead bigint, lead_version text, attempts_mark text, since timestamptz
) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  lead_phone text;
BEGIN
  SELECT l.phone INTO lead_phone FROM leads l
  WHERE l.id = lead AND (lead_version IS NULL OR l.xmin::text = lead_version)
  FOR UPDATE;
  IF NOT FOUND THEN RETURN NULL; END IF;
  -- Statements after the lock see every commit before it (READ COMMITTED, a new snapshot each).
  IF attempts_mark IS NOT NULL AND lead_attempts_mark(lead, since) IS DISTINCT FROM attempts_mark THEN
    RETURN NULL;
  END IF;
  RETURN lead_phone;
END $$;
