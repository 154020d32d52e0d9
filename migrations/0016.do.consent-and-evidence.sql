-- Consent on record and evidence for every call (issue 18).
-- Never edit this file once applied: add a new numbered migration instead.

-- Every lead's consent history, append-only: a grant (a consent as a source gave it) or a
-- revocation (an opt-out, with its source and time). Nothing here is ever updated or deleted.
CREATE TABLE lead_consents (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  lead_id            bigint NOT NULL REFERENCES leads (id),
  kind               text NOT NULL CHECK (kind IN ('grant', 'revocation')),
  -- grants: what the person agreed to, when, where and how it is proven (stored as given)
  type               text CHECK (type IN ('written', 'express', 'none')),
  captured_at        timestamptz,
  source             text,
  ip                 text,
  text_version       text,
  certificate_id     text,
  -- revocations: when the person opted out and why (the DNC list's reason)
  revoked_at         timestamptz,
  revocation_reason  text,
  recorded_at        timestamptz NOT NULL DEFAULT now(),
  -- the path that recorded it: "POST /v1/leads", "convoso lead webhook", "dnc list: call"…
  recorded_by        text NOT NULL,
  CONSTRAINT consent_grant_has_type CHECK ((kind = 'grant') = (type IS NOT NULL)),
  CONSTRAINT consent_revocation_has_time CHECK ((kind = 'revocation') = (revoked_at IS NOT NULL))
);

CREATE INDEX lead_consents_lead_idx ON lead_consents (lead_id, id);

-- The lead's current consent, derived from its history by lead_consent_current() whenever a row
-- is added (NULL: none). What the rules engine reads, and what a dial's evidence relies on.
ALTER TABLE leads ADD COLUMN consent jsonb;

-- What each dial was decided on (@redial/domain dialEvidence), written with its attempt.
CREATE TABLE call_evidence (
  attempt_id   bigint PRIMARY KEY REFERENCES call_attempts (id),
  lead_id      bigint NOT NULL REFERENCES leads (id),
  decided_at   timestamptz NOT NULL,
  evidence     jsonb NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX call_evidence_lead_idx ON call_evidence (lead_id, decided_at);

-- Their functions and triggers (migrations/repeatable): redial_refuse_change.sql (both tables
-- refuse UPDATE, DELETE and TRUNCATE), lead_consent_current.sql and lead_consents_recorded.sql
-- (leads.consent derived on every new row), dnc_phones_revoke_consent.sql (a phone put on the DNC
-- list revokes its lead's consent), redial_write_dial.sql (a dial's evidence written with it).
