-- The priority of a lead's dial job (pg-boss fetches the higher first, then the older job): a lead
-- with a callback pending (callback_at: set by the result that asked for it, cleared by the next
-- result) goes before the leads due by cadence, e.g. when the calling window opens on all of them.
-- Of a lead row: the writers pass the row redial_lead_update answers (no second read of the lead);
-- redial_dial_priority asks it by the lead's id.
CREATE OR REPLACE FUNCTION redial_lead_dial_priority(l leads) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN l.callback_at IS NOT NULL THEN 1 ELSE 0 END
$$;
