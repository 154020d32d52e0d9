-- One row per campaign day from the first day with a lead or a call to today: the range report's
-- day rows. Calls are summed from the report rollups the triggers keep exact (migrations 0005,
-- 0006: totals + pending deltas), so a week of days reads a few hundred rows, not every call;
-- reporting.calls holds the same calls one by one.
CREATE OR REPLACE VIEW reporting.days AS
SELECT d.day,
       lc.leads_created,
       k.calls_placed,
       k.calls_placed - k.calls_in_progress AS calls_ended,
       k.calls_in_progress,
       ld.first_calls,
       k.calls_placed - ld.first_calls AS redials,
       ld.unique_leads_called,
       k.answered,
       k.answered + tu.transferred_unanswered AS reached,
       k.transfers,
       k.transferred,
       k.sale_calls,
       sl.sold_leads,
       sl.dnc_leads,
       k.cost,
       (k.answered + tu.transferred_unanswered)::float8 / nullif(k.calls_placed - k.calls_in_progress, 0)
         AS connectivity_rate,
       k.transfers::float8 / nullif(k.answered + tu.transferred_unanswered, 0) AS transfer_rate,
       k.cost / nullif(k.transfers, 0) AS cost_per_transfer,
       k.cost / nullif(sl.sold_leads, 0) AS cost_per_sale
FROM reporting.campaign c
CROSS JOIN LATERAL (
  SELECT g::date AS day
  FROM generate_series(
         least(c.today, (SELECT min(campaign_day) FROM public.call_attempts),
               (SELECT (min(created_at) AT TIME ZONE c.timezone)::date FROM public.leads)),
         greatest(c.today, (SELECT max(campaign_day) FROM public.call_attempts)),
         interval '1 day') g
) d
CROSS JOIN LATERAL (
  SELECT count(*) AS leads_created FROM public.leads
  WHERE created_at >= (d.day::timestamp AT TIME ZONE c.timezone)
    AND created_at < ((d.day + 1)::timestamp AT TIME ZONE c.timezone)
) lc
CROSS JOIN LATERAL (
  SELECT coalesce(sum(calls), 0)::bigint AS calls_placed,
         coalesce(sum(calls) FILTER (WHERE outcome IS NULL), 0)::bigint AS calls_in_progress,
         coalesce(sum(answered), 0)::bigint AS answered,
         coalesce(sum(transferred), 0)::bigint AS transfers,
         coalesce(sum(calls) FILTER (WHERE outcome = 'TRANSFERRED'), 0)::bigint AS transferred,
         coalesce(sum(calls) FILTER (WHERE outcome = 'SALE'), 0)::bigint AS sale_calls,
         coalesce(sum(cost), 0) AS cost
  FROM public.report_call_days WHERE campaign_day = d.day
) k
CROSS JOIN LATERAL (
  SELECT coalesce(sum(leads), 0)::bigint AS unique_leads_called,
         coalesce(sum(leads) FILTER (WHERE prev_day IS NULL), 0)::bigint AS first_calls
  FROM public.report_lead_days WHERE campaign_day = d.day
) ld
CROSS JOIN LATERAL (
  SELECT count(*) AS transferred_unanswered FROM public.call_attempts
  WHERE campaign_day = d.day AND transferred AND answered IS NOT TRUE AND state <> 'not_placed'
) tu
CROSS JOIN LATERAL (
  SELECT count(*) FILTER (WHERE final_outcome = 'SALE') AS sold_leads,
         count(*) FILTER (WHERE final_outcome = 'DNC') AS dnc_leads
  FROM public.leads
  WHERE status = 'completed'
    AND completed_at >= (d.day::timestamp AT TIME ZONE c.timezone)
    AND completed_at < ((d.day + 1)::timestamp AT TIME ZONE c.timezone)
) sl;

COMMENT ON VIEW reporting.days IS
  'One row per campaign day, from the first day with a lead or a call to today (days without calls included): the range report''s rows. Filter on day.';
COMMENT ON COLUMN reporting.days.day IS 'The campaign day (campaign timezone).';
COMMENT ON COLUMN reporting.days.leads_created IS 'Leads created that day.';
COMMENT ON COLUMN reporting.days.calls_placed IS 'How many calls: calls placed that day = calls_ended + calls_in_progress = first_calls + redials.';
COMMENT ON COLUMN reporting.days.calls_ended IS 'Calls of the day with a result (the divisor of connectivity_rate).';
COMMENT ON COLUMN reporting.days.calls_in_progress IS 'Calls of the day still dialing or in progress (no result yet).';
COMMENT ON COLUMN reporting.days.first_calls IS 'Calls that were their lead''s first call ever.';
COMMENT ON COLUMN reporting.days.redials IS 'How many redials: calls that were not their lead''s first call ever.';
COMMENT ON COLUMN reporting.days.unique_leads_called IS 'Distinct leads called that day.';
COMMENT ON COLUMN reporting.days.answered IS 'Calls answered (a human, at least 20 seconds).';
COMMENT ON COLUMN reporting.days.reached IS 'Calls that reached someone: answered, or transferred to a closer.';
COMMENT ON COLUMN reporting.days.transfers IS 'Calls handed to a closer, whatever their outcome (TRANSFERRED, and SALE or DNC calls that were transferred).';
COMMENT ON COLUMN reporting.days.transferred IS 'Calls whose outcome is TRANSFERRED (transferred, not sold on the call): the range report''s outcome_counts.transferred.';
COMMENT ON COLUMN reporting.days.sale_calls IS 'Sales by call: calls whose outcome is SALE.';
COMMENT ON COLUMN reporting.days.sold_leads IS 'Sales by lead: leads whose final outcome SALE was recorded that day (by a call, by hand, or by Convoso), whenever they were transferred.';
COMMENT ON COLUMN reporting.days.dnc_leads IS 'Leads whose final outcome DNC was recorded that day.';
COMMENT ON COLUMN reporting.days.cost IS 'What the day''s calls cost, USD.';
COMMENT ON COLUMN reporting.days.connectivity_rate IS 'reached ÷ calls_ended (calls in progress are in neither); null when no call ended.';
COMMENT ON COLUMN reporting.days.transfer_rate IS 'transfers ÷ reached: of the calls that reached someone, the share handed to a closer (never above 1); null when none reached.';
COMMENT ON COLUMN reporting.days.cost_per_transfer IS 'cost ÷ transfers, USD; null when no transfer.';
COMMENT ON COLUMN reporting.days.cost_per_sale IS 'cost ÷ sold_leads, USD: the day''s calls per lead sold that day; null when none sold.';
