-- The hour bucket of an instant, in UTC whatever the session time zone.
CREATE OR REPLACE FUNCTION report_hour(at timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT date_trunc('hour', at, 'UTC') $$;
