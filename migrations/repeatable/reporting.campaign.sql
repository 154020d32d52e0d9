-- The campaign calendar's timezone (the default calendar's when none is stored) and today in it.
CREATE OR REPLACE VIEW reporting.campaign AS
SELECT z.timezone, (now() AT TIME ZONE z.timezone)::date AS today
FROM (SELECT coalesce((SELECT config ->> 'timezone' FROM public.scheduler_config WHERE id = 1),
                      'America/New_York') AS timezone) z;

COMMENT ON VIEW reporting.campaign IS
  'One row: the campaign timezone every campaign day is read in, and today (the campaign day of now).';
COMMENT ON COLUMN reporting.campaign.timezone IS 'The campaign calendar''s IANA timezone (America/New_York unless set).';
COMMENT ON COLUMN reporting.campaign.today IS 'The campaign day of now(), in that timezone.';
