-- What a decision read of a lead's attempts: those since `since` and any still open, counted by
-- state with the newest id. A call placed, ended or given back meanwhile changes it; a call that
-- was dialing becoming in progress (its call id stored) does not. plpgsql, not sql: its query is
-- planned once per session, not at every call (each reading and each guard calls it).
CREATE OR REPLACE FUNCTION lead_attempts_mark(lead bigint, since timestamptz) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (
    SELECT count(*) || ':' || coalesce(max(id), 0) || ':' || count(*) FILTER (WHERE state = 'ended')
           || ':' || count(*) FILTER (WHERE state = 'not_placed')
    FROM call_attempts
    WHERE lead_id = lead AND (dialed_at >= since OR state IN ('dialing', 'in_progress')));
END $$;
