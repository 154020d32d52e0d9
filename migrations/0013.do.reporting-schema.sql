-- The reporting schema: stable, documented views for analysts (psql, Metabase, Grafana), named as
-- the glossary in packages/reports/README.md names its numbers, and a read-only role that can read
-- only them. Internal tables may change; these views are the contract (a later migration that
-- changes a table it reads recreates the view with the same columns and meanings).
-- Also two small partial indexes the reports read per campaign day.
-- Never edit this file once applied: add a new numbered migration instead.

-- range: "reached" = answered or transferred; the answered ones are in the rollup, this index
-- finds the transferred calls that were not answered (a transfer under 20 s, or not a human).
CREATE INDEX call_attempts_transferred_unanswered_idx ON call_attempts (campaign_day)
  WHERE transferred AND answered IS NOT TRUE;

-- range: leads sold (or DNC) per campaign day, by the instant they were completed.
CREATE INDEX leads_completed_at_idx ON leads (completed_at) WHERE status = 'completed';

CREATE SCHEMA reporting;
COMMENT ON SCHEMA reporting IS
  'Read-only views for analysts, named as the glossary of packages/reports/README.md. The contract: internal tables may change, these views keep their columns and meanings.';

-- The campaign calendar's timezone (the default calendar's when none is stored) and today in it.
CREATE VIEW reporting.campaign AS
SELECT z.timezone, (now() AT TIME ZONE z.timezone)::date AS today
FROM (SELECT coalesce((SELECT config ->> 'timezone' FROM public.scheduler_config WHERE id = 1),
                      'America/New_York') AS timezone) z;

COMMENT ON VIEW reporting.campaign IS
  'One row: the campaign timezone every campaign day is read in, and today (the campaign day of now).';
COMMENT ON COLUMN reporting.campaign.timezone IS 'The campaign calendar''s IANA timezone (America/New_York unless set).';
COMMENT ON COLUMN reporting.campaign.today IS 'The campaign day of now(), in that timezone.';

-- One row per call: a placed attempt (a not_placed attempt, never dialed by Bland, is no call).
CREATE VIEW reporting.calls AS
SELECT a.id AS call_id,
       a.lead_id,
       a.attempt_number,
       a.campaign_day,
       a.dialed_at,
       a.ended_at,
       a.origin,
       a.state = 'ended' AS ended,
       a.state IN ('dialing', 'in_progress') AS in_progress,
       a.outcome,
       a.answered IS TRUE AS answered,
       (a.answered IS TRUE OR a.transferred IS TRUE) AS reached,
       a.transferred IS TRUE AS transfer,
       EXISTS (SELECT 1 FROM public.call_attempts b
               WHERE b.lead_id = a.lead_id AND b.state <> 'not_placed'
                 AND (b.campaign_day, b.dialed_at, b.id) < (a.campaign_day, a.dialed_at, a.id)) AS redial,
       a.duration_seconds,
       coalesce(a.price, 0) AS cost
FROM public.call_attempts a
WHERE a.state <> 'not_placed';

COMMENT ON VIEW reporting.calls IS
  'One row per call: an attempt Bland placed (dialing, in progress or ended). Attempts never placed are not calls.';
COMMENT ON COLUMN reporting.calls.call_id IS 'The call''s id (call_attempts.id).';
COMMENT ON COLUMN reporting.calls.lead_id IS 'The lead called (reporting.leads.lead_id).';
COMMENT ON COLUMN reporting.calls.attempt_number IS 'The lead''s attempt number, 1 for its first attempt.';
COMMENT ON COLUMN reporting.calls.campaign_day IS 'The campaign day the call was dialed on (campaign timezone).';
COMMENT ON COLUMN reporting.calls.dialed_at IS 'When the call was dialed.';
COMMENT ON COLUMN reporting.calls.ended_at IS 'When the call ended (null while in progress).';
COMMENT ON COLUMN reporting.calls.origin IS 'dialer (placed by Redial) or backfill (imported from Bland''s history).';
COMMENT ON COLUMN reporting.calls.ended IS 'The call has a result (an outcome): counted in calls_ended.';
COMMENT ON COLUMN reporting.calls.in_progress IS 'Dialing or in progress, no result yet: counted in calls_in_progress, in no rate''s divisor.';
COMMENT ON COLUMN reporting.calls.outcome IS 'The call''s outcome (SALE, DNC, TRANSFERRED, CALLBACK, VOICEMAIL, NO_ANSWER, BUSY, NOT_INTERESTED, FAILED, UNKNOWN); null while in progress.';
COMMENT ON COLUMN reporting.calls.answered IS 'Answered: a human, at least ANSWERED_MIN_SECONDS (20) seconds, decided once when the result arrived.';
COMMENT ON COLUMN reporting.calls.reached IS 'Reached someone: answered, or transferred to a closer. The divisor of transfer_rate, the numerator of connectivity_rate.';
COMMENT ON COLUMN reporting.calls.transfer IS 'Handed to a closer (Bland''s transfer), whatever the outcome: counted in transfers. A TRANSFERRED outcome always is one; a SALE or DNC call may be.';
COMMENT ON COLUMN reporting.calls.redial IS 'Not the lead''s first call ever (its first call is its earliest by campaign day, then dialed_at).';
COMMENT ON COLUMN reporting.calls.duration_seconds IS 'Length of the call in seconds (null while in progress).';
COMMENT ON COLUMN reporting.calls.cost IS 'What Bland charged for the call, USD (0 until its result arrives).';

-- One row per lead, with where it stands (the partition of the leads).
CREATE VIEW reporting.leads AS
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

-- One row per campaign day from the first day with a lead or a call to today: the range report's
-- day rows. Calls are summed from the report rollups the triggers keep exact (migrations 0005,
-- 0006: totals + pending deltas), so a week of days reads a few hundred rows, not every call;
-- reporting.calls holds the same calls one by one.
CREATE VIEW reporting.days AS
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

-- The read-only role: it reads the reporting views and nothing else (no table of public, pgboss
-- or reporting's own is granted to it; views read their tables with the owner's rights).
-- Analysts log in as their own roles, members of it (README: "The reporting schema").
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'redial_reporting') THEN
    BEGIN
      CREATE ROLE redial_reporting NOLOGIN;
    EXCEPTION
      -- Another database of this server created it meanwhile: roles are server-wide.
      WHEN duplicate_object OR unique_violation THEN NULL;
      WHEN insufficient_privilege THEN
        RAISE WARNING 'redial_reporting was not created: % cannot create roles. As a superuser: CREATE ROLE redial_reporting NOLOGIN; then as %: GRANT USAGE ON SCHEMA reporting TO redial_reporting; GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO redial_reporting;',
          current_user, current_user;
        RETURN;
    END;
  END IF;
  GRANT USAGE ON SCHEMA reporting TO redial_reporting;
  GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO redial_reporting;
  ALTER DEFAULT PRIVILEGES IN SCHEMA reporting GRANT SELECT ON TABLES TO redial_reporting;
END $$;
