-- Recompute every rollup from leads and call_attempts (after a bulk load with the report triggers
-- disabled; after a TRUNCATE). Locks both tables against writes.
CREATE OR REPLACE FUNCTION report_rollups_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE leads, call_attempts IN SHARE MODE;
  TRUNCATE report_leads_totals, report_leads_delta, report_transferred_leads, report_call_days_totals,
           report_call_days_delta, report_lead_days_totals, report_lead_days_delta;
  INSERT INTO report_transferred_leads
  SELECT DISTINCT lead_id FROM call_attempts WHERE transferred ORDER BY 1;
  INSERT INTO report_leads_totals (created_hour, shard, status, final_outcome, last_outcome, ever_transferred, leads)
  SELECT report_hour(l.created_at), 0, l.status, l.final_outcome, l.last_outcome, t.lead_id IS NOT NULL, count(*)
  FROM leads l LEFT JOIN report_transferred_leads t ON t.lead_id = l.id
  GROUP BY 1, 3, 4, 5, 6;
  INSERT INTO report_call_days_totals (campaign_day, shard, outcome, calls, answered, transferred, cost)
  SELECT campaign_day, 0, outcome, count(*), count(*) FILTER (WHERE answered),
         count(*) FILTER (WHERE transferred), coalesce(sum(price), 0)
  FROM call_attempts WHERE state <> 'not_placed'
  GROUP BY 1, 3;
  INSERT INTO report_lead_days_totals (campaign_day, prev_day, shard, leads)
  SELECT campaign_day, prev_day, 0, count(*)
  FROM (
    SELECT campaign_day, lag(campaign_day) OVER (PARTITION BY lead_id ORDER BY campaign_day) AS prev_day
    FROM (SELECT DISTINCT lead_id, campaign_day FROM call_attempts WHERE state <> 'not_placed') d
  ) p
  GROUP BY 1, 2;
END $$;
