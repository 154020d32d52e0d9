-- Two indexes no query reads, each written by every row version of a dial loop's cycle
-- (docs/performance.md, "Loop efficiency: where a cycle's PostgreSQL work goes"):
-- - webhook_events_call_id_idx: webhook events are found by id, by their body's sha256
--   (webhook_events_delivery_idx) and by result; a call's attempt by call_attempts.bland_call_id.
--   Written twice per result (the event's insert and its final mark, never a HOT update).
-- - call_attempts_lead_day_idx (lead_id, campaign_day): a lead's calls of one day are found by
--   call_attempts_placed_day_lead_idx (campaign_day, lead_id; every reader asks for placed calls),
--   a lead's calls by call_attempts_lead_dialed_idx (lead_id, dialed_at). Written three times per
--   cycle (the attempt's insert, its placed mark, its result).
-- Never edit this file once applied: add a new numbered migration instead.
DROP INDEX webhook_events_call_id_idx;
DROP INDEX call_attempts_lead_day_idx;
