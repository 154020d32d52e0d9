-- A call that leaves dialing/in_progress (ended, not placed) gives its DIAL_MAX_CONCURRENT slot
-- back, whatever code path ended it (the slot's row also clears when its attempt is deleted).
CREATE OR REPLACE FUNCTION dial_slot_release() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE dial_slots SET attempt_id = NULL, taken_at = NULL WHERE attempt_id = NEW.id;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER dial_slot_release AFTER UPDATE OF state ON call_attempts
  FOR EACH ROW
  WHEN (OLD.state IN ('dialing', 'in_progress') AND NEW.state NOT IN ('dialing', 'in_progress'))
  EXECUTE FUNCTION dial_slot_release();
