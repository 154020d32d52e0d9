-- The daily reset, run by the pg-boss cron `daily-reset` at 00:01 campaign time (once per fleet):
-- leads that reached their daily maximum become active again. One batch per call, each its own
-- transaction (runDailyReset, packages/services, calls it until it answers a NULL last_id): the
-- next `batch_size` leads at their daily maximum with an id above `after_id`, by the partial index
-- report_daily_max_leads_idx. A lead is reset at most once per pass (the caller moves after_id on),
-- one being written meanwhile (a dial, an operator's pause) is waited for and skipped if it is no
-- longer at its daily maximum. One UPDATE of a million rows held their locks and the rollup
-- triggers' transition tables until a single commit (docs/performance.md, "Daily reset").
-- Answers how many it reset and the highest id it looked at. Leads without a dial job are then
-- given one by the caller (the same sweep as the periodic `heal` job).
DROP FUNCTION IF EXISTS redial_daily_reset();

CREATE OR REPLACE FUNCTION redial_daily_reset(after_id bigint, batch_size integer)
RETURNS TABLE (reset integer, last_id bigint)
LANGUAGE sql AS $$
  WITH batch AS (
    SELECT id FROM leads
    WHERE status = 'daily_max_reached' AND id > after_id
    ORDER BY id
    LIMIT batch_size
  ), reset AS (
    UPDATE leads l
    SET status = 'active', waiting_reason = 'new calling day: waiting for the calling window', updated_at = now()
    FROM batch b
    WHERE l.id = b.id AND l.status = 'daily_max_reached'
    RETURNING 1
  )
  SELECT (SELECT count(*)::integer FROM reset), (SELECT max(id) FROM batch)
$$;
