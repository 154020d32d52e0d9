-- A call that leaves dialing/in_progress (ended, not placed) gives its DIAL_MAX_CONCURRENT slot
-- back, whatever code path ended it (the slot's row also clears when its attempt is deleted), and
-- tells the workers on `redial_dial_slot_freed` (DIAL_SLOT_FREED_CHANNEL, packages/services
-- dial-slots.ts): a dial job waiting at DIAL_MAX_CONCURRENT takes the slot at the commit instead of
-- at its worker's next read. Only the give-back that frees the first slot notifies: below the cap no
-- job waits, and NOTIFY serializes the commits of notifying transactions (PostgreSQL's queue lock),
-- which every result would pay. A notification missed costs one timed read (100 ms): two give-backs
-- racing, or free slot rows above a cap that was lowered (they count as free here).
CREATE OR REPLACE FUNCTION dial_slot_release() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE dial_slots SET attempt_id = NULL, taken_at = NULL WHERE attempt_id = NEW.id;
  IF FOUND AND (SELECT count(*) FROM (SELECT 1 FROM dial_slots WHERE attempt_id IS NULL LIMIT 2) f) = 1 THEN
    PERFORM pg_notify('redial_dial_slot_freed', '');
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER dial_slot_release AFTER UPDATE OF state ON call_attempts
  FOR EACH ROW
  WHEN (OLD.state IN ('dialing', 'in_progress') AND NEW.state NOT IN ('dialing', 'in_progress'))
  EXECUTE FUNCTION dial_slot_release();
