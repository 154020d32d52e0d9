-- Fold the rollups' deltas into their totals (the report-compact cron, every minute). 7301993:
-- any constant, one compaction at a time across the fleet (a second one returns 0 at once).
CREATE OR REPLACE FUNCTION report_rollups_compact() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  folded bigint := 0;
  n bigint;
BEGIN
  IF NOT pg_try_advisory_xact_lock(7301993) THEN RETURN 0; END IF;
  -- A delta committed after this statement's snapshot is neither deleted nor added: the next run
  -- takes it. A delta is deleted and added in the same statement, so none is counted twice.
  WITH d AS (DELETE FROM report_leads_delta RETURNING *)
  INSERT INTO report_leads_totals AS r (created_hour, shard, status, final_outcome, last_outcome, ever_transferred, leads)
  SELECT created_hour, 0, status, final_outcome, last_outcome, ever_transferred, sum(leads)
  FROM d GROUP BY 1, 3, 4, 5, 6
  ON CONFLICT ON CONSTRAINT report_leads_key DO UPDATE SET leads = r.leads + excluded.leads;
  GET DIAGNOSTICS n = ROW_COUNT;
  folded := folded + n;

  WITH d AS (DELETE FROM report_call_days_delta RETURNING *)
  INSERT INTO report_call_days_totals AS r (campaign_day, shard, outcome, calls, answered, transferred, cost)
  SELECT campaign_day, 0, outcome, sum(calls), sum(answered), sum(transferred), sum(cost)
  FROM d GROUP BY 1, 3
  ON CONFLICT ON CONSTRAINT report_call_days_key DO UPDATE
  SET calls = r.calls + excluded.calls, answered = r.answered + excluded.answered,
      transferred = r.transferred + excluded.transferred, cost = r.cost + excluded.cost;
  GET DIAGNOSTICS n = ROW_COUNT;
  folded := folded + n;

  WITH d AS (DELETE FROM report_lead_days_delta RETURNING *)
  INSERT INTO report_lead_days_totals AS r (campaign_day, prev_day, shard, leads)
  SELECT campaign_day, prev_day, 0, sum(leads)
  FROM d GROUP BY 1, 2
  ON CONFLICT ON CONSTRAINT report_lead_days_key DO UPDATE SET leads = r.leads + excluded.leads;
  GET DIAGNOSTICS n = ROW_COUNT;
  folded := folded + n;

  -- Groups that netted to nothing (a lead's status it has left) are kept out of the totals.
  DELETE FROM report_leads_totals WHERE leads = 0;
  DELETE FROM report_call_days_totals WHERE calls = 0 AND answered = 0 AND transferred = 0 AND cost = 0;
  DELETE FROM report_lead_days_totals WHERE leads = 0;
  RETURN folded;
END $$;
