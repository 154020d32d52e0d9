-- Webhook deliveries counted, not stored again; a result that names another attempt than its call's
-- is a conflict; migration 0010's one-statement writes give way to the lead writers of
-- migrations/repeatable (redial_write_dial, redial_write_result, …), the same statements whether
-- the caller holds the lead's lock or checks that nothing changed since it read the lead.
-- Never edit this file once applied: add a new numbered migration instead.

-- A delivery is "the same" as a stored one when its raw body's bytes are (sha256): Bland's resends
-- and retries of one call-ended event. It is counted on the first row instead of stored again.
ALTER TABLE webhook_events
  ADD COLUMN body_sha256 bytea,
  ADD COLUMN delivery_count integer NOT NULL DEFAULT 1,
  ADD COLUMN last_delivered_at timestamptz;
CREATE UNIQUE INDEX webhook_events_delivery_idx ON webhook_events (source, body_sha256)
  WHERE body_sha256 IS NOT NULL;

ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_result_check;
ALTER TABLE webhook_events ADD CONSTRAINT webhook_events_result_check
  CHECK (result IN ('processed', 'duplicate', 'unknown_call', 'ignored', 'conflict', 'error'));

DROP FUNCTION redial_dial_begin(bigint, text, text, timestamptz, integer, date, timestamptz, timestamptz,
  text, double precision, integer);
DROP FUNCTION redial_record_result(bigint, text, text, timestamptz, bigint, jsonb, text, timestamptz, text,
  text, timestamptz, timestamptz, double precision, jsonb, bigint);
