-- The priority of a lead's dial job, by the lead's id: redial_lead_dial_priority of its row.
CREATE OR REPLACE FUNCTION redial_dial_priority(lead bigint) RETURNS integer
LANGUAGE sql STABLE AS $$
  SELECT redial_lead_dial_priority(l) FROM leads l WHERE l.id = lead
$$;
