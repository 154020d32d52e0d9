-- The leads rollup as reports read it: compacted totals plus the deltas not yet folded in.
CREATE OR REPLACE VIEW report_leads AS
  SELECT created_hour, shard, status, final_outcome, last_outcome, ever_transferred, leads FROM report_leads_totals
  UNION ALL
  SELECT created_hour, shard, status, final_outcome, last_outcome, ever_transferred, leads FROM report_leads_delta;
