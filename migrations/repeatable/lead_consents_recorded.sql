-- Every row added to a lead's consent history (a grant, a revocation) derives its current consent
-- again (lead_consent_current), in the same statement: leads.consent is what the engine reads.
CREATE OR REPLACE FUNCTION lead_consents_recorded() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE leads SET consent = lead_consent_current(NEW.lead_id), updated_at = now()
  WHERE id = NEW.lead_id AND consent IS DISTINCT FROM lead_consent_current(NEW.lead_id);
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER lead_consents_recorded AFTER INSERT ON lead_consents
  FOR EACH ROW EXECUTE FUNCTION lead_consents_recorded();
