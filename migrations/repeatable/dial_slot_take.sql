-- Take a free slot for `attempt`, or NULL when max_slots calls are in progress. 7301992: any
-- constant, the same as the limits' lock in @redial/services (dial-limits.ts).
CREATE OR REPLACE FUNCTION dial_slot_take(attempt bigint, max_slots integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  taken integer;
  highest integer;
  start integer;
BEGIN
  -- Busy slots above the limit (it was lowered while calls were in progress): count exactly, under
  -- the fleet lock, until they are given back. By dial_slots_busy_idx (taken_at: migration 0018),
  -- asked as a range above the limit, which is empty at once in the common case ("the highest busy
  -- slot" walked that index from its top over every dead entry the takes and give-backs left: 26
  -- pages and ~10 ms per dial in `pnpm bench`).
  IF EXISTS (SELECT 1 FROM dial_slots WHERE taken_at IS NOT NULL AND attempt_id IS NOT NULL AND slot > max_slots) THEN
    PERFORM pg_advisory_xact_lock(7301992);
    IF (SELECT count(*) FROM dial_slots WHERE taken_at IS NOT NULL AND attempt_id IS NOT NULL) >= max_slots THEN
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
