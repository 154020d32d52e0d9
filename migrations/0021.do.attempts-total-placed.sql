-- A lead's attempts_total counts its calls placed or in flight: a dial given back (not_placed,
-- Bland certainly did not place it) counts nowhere (redial_write_schedule takes it off since this
-- migration). Before it, each given-back dial stayed counted, toward REDIAL_MAX_TOTAL_ATTEMPTS and
-- the progressive interval's step: the leads that had one get the count of their attempts not
-- given back (backfilled calls are attempts too). Only those leads are written.
-- Never edit this file once applied: add a new numbered migration instead.
UPDATE leads l
SET attempts_total = c.counted
FROM (
  SELECT a.lead_id, count(*) FILTER (WHERE a.state <> 'not_placed')::int AS counted
  FROM call_attempts a
  WHERE a.lead_id IN (SELECT DISTINCT lead_id FROM call_attempts WHERE state = 'not_placed')
  GROUP BY a.lead_id
) c
WHERE l.id = c.lead_id AND l.attempts_total <> c.counted;
