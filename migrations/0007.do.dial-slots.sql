-- DIAL_MAX_CONCURRENT as slots. Until now every dial transaction took one fleet-wide advisory lock
-- to count the calls in progress, and held it through its commit: the whole fleet's dials queued
-- on that lock (74 ms per dial at 20 dials in flight). A dial now takes one free slot row with
-- FOR UPDATE SKIP LOCKED: two dials never wait on each other, and one more than the limit finds
-- no free slot. A slot is given back by trigger the moment its attempt leaves dialing/in_progress
-- (or is deleted), whatever code path ends it.
-- Never edit this file once applied: add a new numbered migration instead.

CREATE TABLE dial_slots (
  slot        integer PRIMARY KEY,
  attempt_id  bigint UNIQUE REFERENCES call_attempts (id) ON DELETE SET NULL,
  taken_at    timestamptz
);
CREATE INDEX dial_slots_free_idx ON dial_slots (slot) WHERE attempt_id IS NULL;
CREATE INDEX dial_slots_busy_idx ON dial_slots (slot) WHERE attempt_id IS NOT NULL;

-- The calls in progress when this migration runs hold the first slots.
INSERT INTO dial_slots (slot, attempt_id, taken_at)
SELECT row_number() OVER (ORDER BY id), id, dialed_at FROM call_attempts WHERE state IN ('dialing', 'in_progress');

-- Slots 1..max_slots exist (each worker at start, before any dial: creating them inside a dial
-- transaction would make concurrent first dials wait on each other's uncommitted rows).
CREATE FUNCTION dial_slots_ensure(max_slots integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  added bigint;
BEGIN
  INSERT INTO dial_slots (slot)
  SELECT generate_series((SELECT coalesce(max(slot), 0) FROM dial_slots) + 1, max_slots)
  ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS added = ROW_COUNT;
  -- Fresh statistics, so no dial plans a scan of every slot on the old (empty) ones.
  IF added > 0 THEN ANALYZE dial_slots; END IF;
END $$;

-- Take a free slot for `attempt`, or NULL when max_slots calls are in progress. 7301992: any
-- constant, the same as the limits' lock in @redial/services (dial-limits.ts).
CREATE FUNCTION dial_slot_take(attempt bigint, max_slots integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  taken integer;
  highest integer;
  start integer;
BEGIN
  -- Busy slots above the limit (it was lowered while calls were in progress): count exactly, under
  -- the fleet lock, until they are given back.
  IF (SELECT slot FROM dial_slots WHERE attempt_id IS NOT NULL ORDER BY slot DESC LIMIT 1) > max_slots THEN
    PERFORM pg_advisory_xact_lock(7301992);
    IF (SELECT count(*) FROM dial_slots WHERE attempt_id IS NOT NULL) >= max_slots THEN
      RETURN NULL;
    END IF;
  END IF;
  -- From a random slot on, then wrapping around: concurrent dials look at different rows, and no
  -- low slot collects the dead row versions of every take and give-back.
  start := 1 + floor(random() * max_slots)::integer;
  FOR pass IN 1..2 LOOP
    UPDATE dial_slots SET attempt_id = attempt, taken_at = now()
    WHERE slot = (SELECT slot FROM dial_slots WHERE attempt_id IS NULL AND slot >= start AND slot <= max_slots
                  ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING slot INTO taken;
    IF taken IS NOT NULL THEN RETURN taken; END IF;
    UPDATE dial_slots SET attempt_id = attempt, taken_at = now()
    WHERE slot = (SELECT slot FROM dial_slots WHERE attempt_id IS NULL AND slot < start
                  ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING slot INTO taken;
    IF taken IS NOT NULL THEN RETURN taken; END IF;
    -- None free: are there max_slots slots at all? (A worker that did not ensure them.)
    SELECT coalesce(max(slot), 0) INTO highest FROM dial_slots;
    IF highest >= max_slots THEN RETURN NULL; END IF;
    PERFORM dial_slots_ensure(max_slots);
  END LOOP;
  RETURN NULL;
END $$;

CREATE FUNCTION dial_slot_release() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE dial_slots SET attempt_id = NULL, taken_at = NULL WHERE attempt_id = NEW.id;
  RETURN NULL;
END $$;

CREATE TRIGGER dial_slot_release AFTER UPDATE OF state ON call_attempts
  FOR EACH ROW
  WHEN (OLD.state IN ('dialing', 'in_progress') AND NEW.state NOT IN ('dialing', 'in_progress'))
  EXECUTE FUNCTION dial_slot_release();
