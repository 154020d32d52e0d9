-- Slots 1..max_slots exist (each worker at start, before any dial: creating them inside a dial
-- transaction would make concurrent first dials wait on each other's uncommitted rows).
CREATE OR REPLACE FUNCTION dial_slots_ensure(max_slots integer) RETURNS void
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
