-- Rows added to leads' consent histories (grants, revocations) derive each of their leads' current
-- consent again (lead_consent_current), once per lead for the whole statement: one UPDATE of the
-- leads whose consent changed, so a bulk intake's chunk of new leads costs one statement here (and
-- one run of the leads' report trigger), not one per row. leads.consent is what the engine reads.
CREATE OR REPLACE FUNCTION lead_consents_recorded() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE leads l SET consent = c.current, updated_at = now()
  FROM (SELECT n.lead_id, lead_consent_current(n.lead_id) AS current
        FROM (SELECT DISTINCT lead_id FROM new_rows) n) c
  WHERE l.id = c.lead_id AND l.consent IS DISTINCT FROM c.current;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER lead_consents_recorded AFTER INSERT ON lead_consents
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lead_consents_recorded();
