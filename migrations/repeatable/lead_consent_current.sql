-- A lead's current consent: the strongest grant (written over express; then the latest) given
-- after its last revocation. A grant of type 'none' or without a capture time grants nothing.
-- Ordered by when things happened, not when we learned them: a consent captured before an
-- opt-out and sent again afterwards stays revoked. NULL: none.
CREATE OR REPLACE FUNCTION lead_consent_current(lead bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', g.id, 'type', g.type, 'captured_at', g.captured_at, 'source', g.source, 'ip', g.ip,
    'text_version', g.text_version, 'certificate_id', g.certificate_id,
    'recorded_at', g.recorded_at, 'recorded_by', g.recorded_by)
  FROM lead_consents g
  WHERE g.lead_id = lead AND g.kind = 'grant' AND g.type IN ('written', 'express')
    AND g.captured_at IS NOT NULL
    AND g.captured_at > coalesce(
      (SELECT max(r.revoked_at) FROM lead_consents r WHERE r.lead_id = lead AND r.kind = 'revocation'),
      '-infinity')
  ORDER BY (g.type = 'written') DESC, g.captured_at DESC, g.id DESC
  LIMIT 1
$$;
