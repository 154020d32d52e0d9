-- Change a lead's row by the columns in `changes` (keys are leads column names; a column not given
-- keeps its value), in one UPDATE: one run of the report triggers per write. The writers' only
-- UPDATE of leads; which columns a plan changes is decided in TypeScript (packages/db lead-writes.ts).
-- Answers the row as changed (the writers take the dial job's priority from it: no second read).
-- plpgsql, not sql: its UPDATE is planned once per session, not at every call.
DROP FUNCTION IF EXISTS redial_lead_update(bigint, jsonb);
CREATE OR REPLACE FUNCTION redial_lead_update(lead bigint, changes jsonb) RETURNS leads
LANGUAGE plpgsql AS $$
DECLARE
  changed leads;
BEGIN
  UPDATE leads l
  SET (status, final_outcome, completed_at, next_attempt_at, waiting_reason, attempts_total,
       last_outcome, callback_at, bad_number_until, updated_at)
    = (SELECT c.status, c.final_outcome, c.completed_at, c.next_attempt_at, c.waiting_reason,
              c.attempts_total, c.last_outcome, c.callback_at, c.bad_number_until, now()
       FROM jsonb_populate_record(l, changes) c)
  WHERE l.id = lead
  RETURNING l.* INTO changed;
  RETURN changed;
END $$;
