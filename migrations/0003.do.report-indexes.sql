-- Indexes for @redial/reports (packages/reports). Never edit this file once applied.

-- breakdown: "ever transferred, not sold" semi-joins leads with their transferred calls; transfers
-- are a few percent of calls, so this partial index is small and read index-only.
CREATE INDEX call_attempts_transferred_lead_idx ON call_attempts (lead_id) WHERE transferred;

-- range: distinct (campaign day, lead) pairs of placed calls, read index-only in order, give the
-- unique leads called per day and each lead's first day in the period without touching the heap.
CREATE INDEX call_attempts_placed_day_lead_idx ON call_attempts (campaign_day, lead_id) WHERE state <> 'not_placed';
