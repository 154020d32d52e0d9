-- The priority of a lead's dial job (pg-boss fetches the higher first, then the older job): a lead
-- with a callback pending (callback_at: set by the result that asked for it, cleared by the next
-- result) goes before the leads due by cadence, e.g. when the calling window opens on all of them.
CREATE OR REPLACE FUNCTION redial_dial_priority(lead bigint) RETURNS integer
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN l.callback_at IS NOT NULL THEN 1 ELSE 0 END FROM leads l WHERE l.id = lead
$$;
