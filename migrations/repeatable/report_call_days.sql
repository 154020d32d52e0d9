-- The calls-per-day rollup as reports read it: compacted totals plus pending deltas.
CREATE OR REPLACE VIEW report_call_days AS
  SELECT campaign_day, shard, outcome, calls, answered, transferred, cost FROM report_call_days_totals
  UNION ALL
  SELECT campaign_day, shard, outcome, calls, answered, transferred, cost FROM report_call_days_delta;
