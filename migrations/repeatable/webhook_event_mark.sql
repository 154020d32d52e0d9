-- A stored webhook event's final result (processed, duplicate, unknown_call, ignored, conflict, or
-- error with what went wrong). A final result is never overwritten, except `error` (a redelivery of
-- the same body is processed again).
CREATE OR REPLACE FUNCTION webhook_event_mark(event bigint, event_result text, event_error text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE webhook_events SET result = event_result, error = event_error, processed_at = now()
  WHERE id = event AND (result IS NULL OR result = 'error');
END $$;
