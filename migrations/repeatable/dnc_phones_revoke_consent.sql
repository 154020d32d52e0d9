-- Every opt-out puts the phone on our DNC list (a spoken opt-out, a DNC by hand, POST /v1/dnc, a
-- Convoso DNC status, an inbound opt-out, the backfill): that revokes the consent of the phone's
-- lead, recorded in its history with the list's reason, source and time, whichever path wrote it.
CREATE OR REPLACE FUNCTION dnc_phones_revoke_consent() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO lead_consents (lead_id, kind, revoked_at, revocation_reason, recorded_by)
  SELECT l.id, 'revocation', NEW.created_at, NEW.reason, 'dnc list: ' || NEW.source
  FROM leads l WHERE l.phone = NEW.phone;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER dnc_phones_revoke_consent AFTER INSERT ON dnc_phones
  FOR EACH ROW EXECUTE FUNCTION dnc_phones_revoke_consent();
