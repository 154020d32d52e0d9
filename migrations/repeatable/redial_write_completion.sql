-- A SALE or DNC that is not a call's result (@redial/db writeCompletion: a hand stop, a Convoso
-- status, a DNC add, the DNC list at dial time), under redial_lead_guard: the lead completed by
-- `lead_changes` (NULL: its first final outcome stands) with its queued dial job deleted, the phone
-- on our DNC list when `dnc_reason` is given, a convoso-sync job when `sync` is given. `stale`,
-- nothing written, when the lead changed since it was read.
CREATE OR REPLACE FUNCTION redial_write_completion(
  lead bigint, lead_version text, attempts_mark text, since timestamptz,
  lead_changes jsonb, dnc_reason text, dnc_source text, sync jsonb
) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  lead_phone text := redial_lead_guard(lead, lead_version, attempts_mark, since);
BEGIN
  IF lead_phone IS NULL THEN RETURN 'stale'; END IF;
  IF lead_changes IS NOT NULL THEN
    PERFORM redial_lead_update(lead, lead_changes);
    PERFORM redial_dial_job_delete(lead);
  END IF;
  IF dnc_reason IS NOT NULL THEN PERFORM dnc_phone_add(lead_phone, dnc_reason, dnc_source); END IF;
  IF sync IS NOT NULL THEN PERFORM redial_job_send('convoso-sync', sync); END IF;
  RETURN 'written';
END $$;
