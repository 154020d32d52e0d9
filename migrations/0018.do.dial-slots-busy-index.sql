-- The busy-slots index by taken_at instead of attempt_id. As `(slot) WHERE attempt_id IS NOT
-- NULL` it was a candidate for the give-back `UPDATE dial_slots … WHERE attempt_id = $1` (its
-- predicate is implied), and after an ANALYZE that saw every slot free (reltuples 0, null_frac 1)
-- the planner took it over the unique index on attempt_id: each give-back walked every busy entry
-- and the dead ones of every take since the last vacuum (1,028 blocks for one row at the
-- held-leads bench; docs/performance.md, "Held leads"). taken_at is set and cleared with
-- attempt_id, so the index holds the same slots; a give-back's condition no longer implies its
-- predicate, and the unique index is the only one it can use. The take's checks of the busy slots
-- (dial_slot_take) name taken_at, and attempt_id too (an attempt deleted clears only attempt_id).
-- Never edit this file once applied: add a new numbered migration instead.
DROP INDEX dial_slots_busy_idx;
CREATE INDEX dial_slots_busy_idx ON dial_slots (slot) WHERE taken_at IS NOT NULL;
