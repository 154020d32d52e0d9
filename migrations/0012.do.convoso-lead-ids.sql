-- The Convoso lead ids of each of our leads, one row per (Convoso lead id, list). Our lead is one
-- phone; Convoso may hold that phone in several lists, each time as a lead of its own id
-- (shared/reference/convoso-api.md, "Duplicates"), so one column could not hold them all, and a
-- lookup by that column ("first row") could complete the wrong lead. A lookup by Convoso lead id
-- now reads this table and refuses an id that more than one of our leads carries.
-- Never edit this file once applied: add a new numbered migration instead.

CREATE TABLE convoso_lead_ids (
  convoso_lead_id  text NOT NULL CHECK (convoso_lead_id ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$'),
  -- '' when the sender did not say which list.
  list_id          text NOT NULL DEFAULT '' CHECK (list_id = '' OR list_id ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$'),
  lead_id          bigint NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
  created_at       timestamptz NOT NULL DEFAULT now(),
  -- Not unique per (id, list): two leads given one id (a race, or data from before this table)
  -- stay visible, and a lookup refuses them as ambiguous rather than picking one.
  PRIMARY KEY (convoso_lead_id, list_id, lead_id)
);

CREATE INDEX convoso_lead_ids_lead_idx ON convoso_lead_ids (lead_id);

-- Values that a coercion of null, an object or an array once stored as text are not ids.
UPDATE leads SET convoso_lead_id = NULL
WHERE convoso_lead_id IS NOT NULL AND convoso_lead_id !~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$'
   OR convoso_lead_id IN ('null', 'undefined', 'NaN');

UPDATE leads SET list_ids = ARRAY(
  SELECT l FROM unnest(list_ids) l WHERE l ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' AND l NOT IN ('null', 'undefined', 'NaN'))
WHERE EXISTS (
  SELECT 1 FROM unnest(list_ids) l WHERE l !~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' OR l IN ('null', 'undefined', 'NaN'));

-- The id each lead carried so far; its list when the lead is in exactly one.
INSERT INTO convoso_lead_ids (convoso_lead_id, list_id, lead_id)
SELECT convoso_lead_id, CASE WHEN cardinality(list_ids) = 1 THEN list_ids[1] ELSE '' END, id
FROM leads WHERE convoso_lead_id IS NOT NULL;
