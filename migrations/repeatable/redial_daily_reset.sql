-- The daily reset, run by the pg-boss cron `daily-reset` at 00:01 campaign time (once per fleet):
-- leads that reached their daily maximum become active again. Leads without a dial job are then
-- given one by the caller (the same sweep as the periodic `heal` job).
CREATE OR REPLACE FUNCTION redial_daily_reset() RETURNS integer
LANGUAGE sql AS $$
  WITH reset AS (
    UPDATE leads
    SET status = 'active', waiting_reason = 'new calling day: waiting for the calling window', updated_at = now()
    WHERE status = 'daily_max_reached'
    RETURNING 1
  )
  SELECT count(*)::integer FROM reset
$$;
