-- Add (sign +1) or remove (-1) leads rows: one delta row per group, shard 0 (nothing to spread).
CREATE OR REPLACE FUNCTION report_count_leads(batch leads[], sign integer) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO report_leads_delta (created_hour, shard, status, final_outcome, last_outcome, ever_transferred, leads)
  SELECT report_hour(l.created_at), 0, l.status, l.final_outcome, l.last_outcome,
         EXISTS (SELECT 1 FROM report_transferred_leads t WHERE t.lead_id = l.id), sign * count(*)
  FROM unnest(batch) l
  GROUP BY 1, 3, 4, 5, 6
$$;
