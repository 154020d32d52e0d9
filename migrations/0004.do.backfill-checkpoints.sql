-- Backfill runs (redial backfill bland / webhook-logs): one row per run with its checkpoint, the
-- unique phones it met (its phase-2 work list and results), and the items it could not process.
-- Never edit this file once applied: add a new numbered migration instead.

CREATE TABLE backfill_runs (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source       text NOT NULL CHECK (source IN ('bland', 'webhook-file', 'webhook-events')),
  -- What the run reads: "2025-12-01..2026-01-07", a file path, or "since 2025-12-01"; --resume matches on it.
  source_key   text NOT NULL,
  phase        text NOT NULL DEFAULT 'import' CHECK (phase IN ('import', 'check', 'done')),
  -- Where the import stopped (source-specific JSON: last created_at and its call ids, a line, an event id).
  cursor       jsonb,
  -- Import counters, written in the same transaction as the batch they count.
  counters     jsonb NOT NULL DEFAULT '{}',
  options      jsonb NOT NULL DEFAULT '{}',
  started_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);

CREATE INDEX backfill_runs_open_idx ON backfill_runs (source, source_key) WHERE finished_at IS NULL;

CREATE TABLE backfill_phones (
  run_id         bigint NOT NULL REFERENCES backfill_runs (id) ON DELETE CASCADE,
  phone          text NOT NULL,
  lead_id        bigint REFERENCES leads (id) ON DELETE SET NULL,
  -- SALE or DNC when one of the run's calls to this phone ended so (DNC wins).
  history_final  text CHECK (history_final IN ('SALE', 'DNC')),
  convoso        text CHECK (convoso IN ('found', 'not_found', 'error', 'skipped')),
  convoso_status text,
  decision       text CHECK (decision IN ('redial', 'sale', 'dnc', 'not_found', 'error')),
  result         text,
  dnc_added      boolean NOT NULL DEFAULT false,
  reason         text,
  checked_at     timestamptz,
  PRIMARY KEY (run_id, phone)
);

CREATE INDEX backfill_phones_unchecked_idx ON backfill_phones (run_id, phone) WHERE decision IS NULL;

CREATE TABLE backfill_failures (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id      bigint NOT NULL REFERENCES backfill_runs (id) ON DELETE CASCADE,
  stage       text NOT NULL CHECK (stage IN ('call', 'line', 'event', 'phone')),
  item        text NOT NULL,
  reason      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX backfill_failures_run_idx ON backfill_failures (run_id, id);
