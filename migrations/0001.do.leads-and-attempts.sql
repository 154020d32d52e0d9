-- Leads (one per phone number), their call attempts, and the raw webhook events.
-- Never edit this file once applied: add a new numbered migration instead.

CREATE TABLE leads (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  phone             text NOT NULL UNIQUE CHECK (phone ~ '^\+1[2-9][0-9]{9}$'),
  first_name        text,
  last_name         text,
  email             text,
  state             text CHECK (state ~ '^[A-Z]{2}$'),
  zip               text CHECK (zip ~ '^[0-9]{5}$'),
  timezones         text[] NOT NULL DEFAULT '{}',
  states            text[] NOT NULL DEFAULT '{}',
  convoso_lead_id   text,
  list_ids          text[] NOT NULL DEFAULT '{}',
  source            text,
  status            text NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'daily_max_reached', 'paused', 'completed')),
  final_outcome     text CHECK (final_outcome IN ('SALE', 'DNC')),
  last_outcome      text,
  attempts_total    integer NOT NULL DEFAULT 0 CHECK (attempts_total >= 0),
  next_attempt_at   timestamptz,
  waiting_reason    text,
  callback_at       timestamptz,
  bad_number_until  timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  completed_at      timestamptz,
  CONSTRAINT completed_iff_final_outcome CHECK ((status = 'completed') = (final_outcome IS NOT NULL))
);

CREATE INDEX leads_due_idx ON leads (next_attempt_at) WHERE status = 'active';
CREATE INDEX leads_created_at_idx ON leads (created_at);
CREATE INDEX leads_status_idx ON leads (status, final_outcome);

CREATE TABLE call_attempts (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  lead_id              bigint NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
  attempt_number       integer NOT NULL CHECK (attempt_number >= 1),
  campaign_day         date NOT NULL,
  dialed_at            timestamptz NOT NULL,
  state                text NOT NULL DEFAULT 'dialing'
                       CHECK (state IN ('dialing', 'in_progress', 'ended', 'not_placed')),
  origin               text NOT NULL DEFAULT 'dialer' CHECK (origin IN ('dialer', 'backfill')),
  bland_call_id        text UNIQUE,
  raw_status           text,
  outcome              text CHECK (outcome IN ('SALE', 'DNC', 'TRANSFERRED', 'CALLBACK', 'VOICEMAIL',
                                               'NO_ANSWER', 'BUSY', 'NOT_INTERESTED', 'FAILED', 'UNKNOWN')),
  answered_by          text,
  answered             boolean,
  duration_seconds     numeric(10, 2),
  price                numeric(10, 4),
  transferred          boolean,
  transferred_to       text,
  callback_at          timestamptz,
  error_message        text,
  ended_at             timestamptz,
  webhook_received_at  timestamptz,
  result_source        text CHECK (result_source IN ('webhook', 'reconcile', 'backfill')),
  created_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (lead_id, attempt_number),
  CONSTRAINT ended_has_outcome CHECK ((state = 'ended') = (outcome IS NOT NULL))
);

CREATE INDEX call_attempts_lead_day_idx ON call_attempts (lead_id, campaign_day);
CREATE INDEX call_attempts_lead_dialed_idx ON call_attempts (lead_id, dialed_at);
CREATE INDEX call_attempts_dialed_at_idx ON call_attempts (dialed_at);
CREATE INDEX call_attempts_campaign_day_idx ON call_attempts (campaign_day);
CREATE INDEX call_attempts_open_idx ON call_attempts (dialed_at) WHERE state IN ('dialing', 'in_progress');

-- Every webhook body is stored before it is processed; unknown call ids stay here, reported.
CREATE TABLE webhook_events (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source        text NOT NULL CHECK (source IN ('bland', 'convoso')),
  call_id       text,
  received_at   timestamptz NOT NULL DEFAULT now(),
  body          jsonb NOT NULL,
  result        text CHECK (result IN ('processed', 'duplicate', 'unknown_call', 'ignored', 'error')),
  error         text,
  processed_at  timestamptz
);

CREATE INDEX webhook_events_call_id_idx ON webhook_events (call_id);
CREATE INDEX webhook_events_unknown_idx ON webhook_events (received_at) WHERE result = 'unknown_call';

-- Our own do-not-call list: a phone here is never dialed and never admitted.
CREATE TABLE dnc_phones (
  phone       text PRIMARY KEY CHECK (phone ~ '^\+1[2-9][0-9]{9}$'),
  reason      text NOT NULL,
  source      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- The campaign calendar (the seed's scheduler-config.json shape plus extensions), one row.
CREATE TABLE scheduler_config (
  id          integer PRIMARY KEY CHECK (id = 1),
  config      jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
