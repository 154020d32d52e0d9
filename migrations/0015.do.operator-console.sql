-- The operator console (issue 13): who changed what by hand, the fleet's pause switch, the
-- workers' heartbeats, the daily reports sent, the alert incidents, and the indexes the lead
-- search and the call list read.
-- Never edit this file once applied: add a new numbered migration instead.

-- Every state change made by hand (API or dashboard): who is the API key's name.
CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  action      text NOT NULL,
  lead_id     bigint REFERENCES leads (id) ON DELETE SET NULL,
  subject     text,
  details     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_lead_idx ON audit_log (lead_id, id) WHERE lead_id IS NOT NULL;
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- One row: whether new dials may start anywhere in the fleet. `reason` says who paused:
-- 'manual' (an operator) or 'spend_cap' (DAILY_SPEND_LIMIT reached on campaign day `day`).
-- `cap_overridden_day`: an operator resumed after the cap on that day; the cap stays off until it ends.
CREATE TABLE fleet_state (
  id                  integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  paused              boolean NOT NULL DEFAULT false,
  reason              text CHECK (reason IN ('manual', 'spend_cap')),
  note                text,
  day                 date,
  cap_overridden_day  date,
  changed_by          text,
  changed_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT paused_has_reason CHECK (paused = (reason IS NOT NULL))
);
INSERT INTO fleet_state (id) VALUES (1);

-- Workers beat every few seconds; `dial_paused` is what the worker last applied of fleet_state.
CREATE TABLE worker_heartbeats (
  worker_id    text PRIMARY KEY,
  host         text NOT NULL,
  pid          integer NOT NULL,
  started_at   timestamptz NOT NULL,
  beat_at      timestamptz NOT NULL,
  dial_paused  boolean NOT NULL DEFAULT false,
  stopped_at   timestamptz
);

-- The daily report of each campaign day, as stored and sent.
CREATE TABLE daily_reports (
  day           date PRIMARY KEY,
  created_at    timestamptz NOT NULL DEFAULT now(),
  numbers       jsonb NOT NULL,
  text          text NOT NULL,
  delivered_to  text[] NOT NULL DEFAULT '{}',
  errors        text[] NOT NULL DEFAULT '{}'
);

-- An alert rule firing: opened once, notified once, resolved when the rule stops firing.
CREATE TABLE alert_incidents (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rule         text NOT NULL,
  opened_at    timestamptz NOT NULL,
  resolved_at  timestamptz,
  summary      text NOT NULL,
  details      jsonb NOT NULL DEFAULT '{}',
  notified_to  text[] NOT NULL DEFAULT '{}',
  errors       text[] NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX alert_incidents_open_idx ON alert_incidents (rule) WHERE resolved_at IS NULL;
CREATE INDEX alert_incidents_opened_idx ON alert_incidents (opened_at);

-- Lead search: by Convoso id, by name (prefix, case-insensitive), newest first.
CREATE INDEX leads_convoso_lead_id_idx ON leads (convoso_lead_id) WHERE convoso_lead_id IS NOT NULL;
CREATE INDEX leads_last_name_idx ON leads (lower(last_name) text_pattern_ops) WHERE last_name IS NOT NULL;
CREATE INDEX leads_first_name_idx ON leads (lower(first_name) text_pattern_ops) WHERE first_name IS NOT NULL;
-- The console's lists of failed webhook events.
CREATE INDEX webhook_events_error_idx ON webhook_events (received_at) WHERE result = 'error';
-- DNC list newest first.
CREATE INDEX dnc_phones_created_idx ON dnc_phones (created_at, phone);
