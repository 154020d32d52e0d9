-- The called-days rollup as reports read it: compacted totals plus pending deltas.
CREATE OR REPLACE VIEW report_lead_days AS
  SELECT campaign_day, prev_day, shard, leads FROM report_lead_days_totals
  UNION ALL
  SELECT campaign_day, prev_day, shard, leads FROM report_lead_days_delta;
