-- One row per lead, with where it stands (the partition of the leads).
CREATE OR REPLACE VIEW reporting.leads AS
SELECT l.id AS lead_id,
       l.phone,
       l.state,
       l.zip,
       l.source,
       l.created_at,
       (l.created_at AT TIME ZONE c.timezone)::date AS created_day,
       CASE WHEN l.final_outcome = 'SALE' THEN 'completed_sale'
            WHEN l.final_outcome = 'DNC' THEN 'completed_dnc'
            WHEN l.status = 'paused' THEN 'paused'
            ELSE 'still_redialing' END AS standing,
       l.completed_at,
       (l.completed_at AT TIME ZONE c.timezone)::date AS completed_day,
       l.last_outcome,
       EXISTS (SELECT 1 FROM public.call_attempts a WHERE a.lead_id = l.id AND a.transferred) AS ever_transferred,
       (SELECT count(*) FROM public.call_attempts a
        WHERE a.lead_id = l.id AND a.state <> 'not_placed') AS calls_placed,
       (SELECT min(a.campaign_day) FROM public.call_attempts a
        WHERE a.lead_id = l.id AND a.state <> 'not_placed') AS first_call_day,
       (SELECT max(a.campaign_day) FROM public.call_attempts a
        WHERE a.lead_id = l.id AND a.state <> 'not_placed') AS last_call_day,
       (SELECT coalesce(sum(a.price), 0) FROM public.call_attempts a
        WHERE a.lead_id = l.id AND a.state <> 'not_placed') AS cost,
       EXISTS (SELECT 1 FROM public.dnc_phones d WHERE d.phone = l.phone) AS on_dnc_list,
       (l.status = 'daily_max_reached'
        AND EXISTS (SELECT 1 FROM public.call_attempts a
                    WHERE a.lead_id = l.id AND a.campaign_day = c.today AND a.state <> 'not_placed'))
         AS daily_max_reached_today
FROM public.leads l CROSS JOIN reporting.campaign c;

COMMENT ON VIEW reporting.leads IS
  'One row per lead. standing partitions the leads: completed_sale + completed_dnc + still_redialing + paused = every lead.';
COMMENT ON COLUMN reporting.leads.lead_id IS 'The lead''s id.';
COMMENT ON COLUMN reporting.leads.phone IS 'The lead''s phone, E.164 (+1…): one lead per phone.';
COMMENT ON COLUMN reporting.leads.state IS 'The US state the lead gave (two letters), null when it gave none.';
COMMENT ON COLUMN reporting.leads.zip IS 'The ZIP code the lead gave, null when it gave none.';
COMMENT ON COLUMN reporting.leads.source IS 'Where the lead came from (api, convoso, backfill…), as recorded at intake.';
COMMENT ON COLUMN reporting.leads.created_at IS 'When the lead was created.';
COMMENT ON COLUMN reporting.leads.created_day IS 'The campaign day the lead was created on: the day that puts it in leads_in_period / leads_created.';
COMMENT ON COLUMN reporting.leads.standing IS 'Where the lead stands: completed_sale (final outcome SALE), completed_dnc (final outcome DNC), paused (neither, held: not dialed until resumed), still_redialing (neither, being redialed).';
COMMENT ON COLUMN reporting.leads.completed_at IS 'When the lead got its final outcome (SALE or DNC, whichever came first); null while it has none.';
COMMENT ON COLUMN reporting.leads.completed_day IS 'The campaign day of completed_at: the day the lead was sold (or DNC), counted in sold_leads (dnc_leads) of that day.';
COMMENT ON COLUMN reporting.leads.last_outcome IS 'The outcome of the lead''s latest ended call (null: none ended yet).';
COMMENT ON COLUMN reporting.leads.ever_transferred IS 'The lead has had at least one call transferred to a closer.';
COMMENT ON COLUMN reporting.leads.calls_placed IS 'Calls placed to the lead, lifetime.';
COMMENT ON COLUMN reporting.leads.first_call_day IS 'The campaign day of the lead''s first call ever (null: never called): its cohort.';
COMMENT ON COLUMN reporting.leads.last_call_day IS 'The campaign day of the lead''s latest call (null: never called).';
COMMENT ON COLUMN reporting.leads.cost IS 'What the lead''s calls cost, USD, lifetime.';
COMMENT ON COLUMN reporting.leads.on_dnc_list IS 'The phone is on our DNC list now, whatever the standing: a lead sold before its phone was listed stays completed_sale.';
COMMENT ON COLUMN reporting.leads.daily_max_reached_today IS 'Reached its calls-per-day maximum today: flagged daily_max_reached and called today (a flag left from an earlier day by a missed daily reset is not today''s).';
