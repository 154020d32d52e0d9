import type { Db } from "@redial/db";
import { sql } from "kysely";

/** Leads per INSERT … SELECT generate_series (each with its attempts, evidence, events and job). */
const CHUNK = 50_000;

export interface HeldLeadsSeed {
  /** How many leads to add. */
  count: number;
  /** Of them, the share at their daily maximum (the rest are active, due tomorrow). */
  dailyMaxShare: number;
  /** Calls in each lead's history (ended, each with its evidence and its webhook event). */
  attemptsPerLead: number;
  /** The campaign day the held leads were called on (their daily-max calls are that day's). */
  today: Date;
}

/**
 * Add `count` leads that wait for tomorrow — active with their next dial tomorrow, or at their
 * daily maximum — each with a history of ended calls (attempt, evidence, stored webhook event) and
 * its dial job queued for tomorrow by the database's clock, as the loop leaves them. Set-based
 * (INSERT … SELECT generate_series, in chunks). The report triggers are built for the loop's small
 * statements (their set-based path was quadratic in the rows of one statement, 40,000 attempts in
 * one INSERT took 337 s; it is linear now, ~80 µs a row), so the seed runs without them and
 * rebuilds the rollups once at the end,
 * as reports/seed-scale.ts does; no other writer may run meanwhile. Resolves the ids' range.
 */
export async function seedHeldLeads(
  db: Db,
  seed: HeldLeadsSeed,
  progress: (done: number) => void = () => undefined,
): Promise<{ first: number; last: number }> {
  const { rows } = await sql<{ n: string }>`SELECT coalesce(max(id), 0) AS n FROM leads`.execute(db);
  const before = Number(rows[0]?.n ?? 0);
  await setReportTriggers(db, "DISABLE");
  try {
    for (let done = 0; done < seed.count; done += CHUNK) {
      const size = Math.min(CHUNK, seed.count - done);
      const first = await seedLeads(db, seed, size);
      await seedHistory(db, seed, first, first + size - 1);
      await seedDialJobs(db, first, first + size - 1);
      progress(done + size);
    }
    await sql`SELECT report_rollups_rebuild()`.execute(db);
  } finally {
    await setReportTriggers(db, "ENABLE");
  }
  for (const table of ["leads", "call_attempts", "call_evidence", "webhook_events", "pgboss.job_common"])
    await sql.raw(`VACUUM (ANALYZE) ${table}`).execute(db);
  return { first: before + 1, last: before + seed.count };
}

/** Resolves the id of the first lead added. Phones: +1 3xx…, unique by their sequence number. */
async function seedLeads(db: Db, seed: HeldLeadsSeed, size: number): Promise<number> {
  const { rows } = await sql<{ first: string }>`
    WITH added AS (
      INSERT INTO leads (phone, first_name, last_name, state, zip, timezones, states, status,
                         last_outcome, attempts_total, next_attempt_at, waiting_reason,
                         created_at, updated_at)
      SELECT '+1' || (3000000000 + s.n)::text, 'Held', 'Lead ' || s.n, 'NY', '10001',
             '{America/New_York}', '{NY}',
             CASE WHEN random() < ${seed.dailyMaxShare} THEN 'daily_max_reached' ELSE 'active' END,
             CASE WHEN s.n % 2 = 0 THEN 'NO_ANSWER' ELSE 'VOICEMAIL' END,
             ${seed.attemptsPerLead}, now() + interval '20 hours',
             'outside_window: waiting for tomorrow''s calling window',
             ${seed.today}::timestamptz - interval '5 days' + (s.n % 86400) * interval '1 second',
             ${seed.today}::timestamptz
      FROM (SELECT coalesce((SELECT max(id) FROM leads), 0) + g AS n
            FROM generate_series(1, ${size}::int) g) s
      RETURNING id
    )
    SELECT min(id) AS first FROM added`.execute(db);
  return Number(rows[0]?.first);
}

/**
 * Each lead's calls: on earlier days for an active lead, all today for one at its daily maximum;
 * every call ended with its evidence and its stored, processed webhook event.
 */
async function seedHistory(db: Db, seed: HeldLeadsSeed, first: number, last: number): Promise<void> {
  await sql`
    INSERT INTO call_attempts (lead_id, attempt_number, campaign_day, dialed_at, state, origin,
                               bland_call_id, raw_status, outcome, answered_by, answered,
                               duration_seconds, price, transferred, ended_at, webhook_received_at,
                               result_source, created_at)
    SELECT l.id, a.n, (a.dialed AT TIME ZONE 'America/New_York')::date, a.dialed, 'ended', 'dialer',
           'held-' || l.id || '-' || a.n, 'completed', l.last_outcome,
           CASE WHEN l.last_outcome = 'VOICEMAIL' THEN 'voicemail' ELSE 'no-answer' END, false,
           round((random() * 40)::numeric, 2), 0.09, false,
           a.dialed + interval '1 minute', a.dialed + interval '1 minute', 'webhook', a.dialed
    FROM leads l
    CROSS JOIN LATERAL (
      SELECT n, CASE WHEN l.status = 'daily_max_reached'
                     THEN ${seed.today}::timestamptz + n * interval '1 hour'
                     ELSE ${seed.today}::timestamptz - (${seed.attemptsPerLead} - n + 1) * interval '1 day' END AS dialed
      FROM generate_series(1, ${seed.attemptsPerLead}::int) n
    ) a
    WHERE l.id BETWEEN ${first} AND ${last}`.execute(db);
  await sql`
    INSERT INTO call_evidence (attempt_id, lead_id, decided_at, evidence, recorded_at)
    SELECT a.id, a.lead_id, a.dialed_at,
           jsonb_build_object('decidedAt', a.dialed_at, 'attemptNumber', a.attempt_number,
                              'windows', jsonb_build_array(jsonb_build_object('zone', 'America/New_York', 'open', true)),
                              'consent', 'not required', 'dnc', jsonb_build_array()),
           a.dialed_at
    FROM call_attempts a WHERE a.lead_id BETWEEN ${first} AND ${last}`.execute(db);
  await sql`
    INSERT INTO webhook_events (source, call_id, received_at, body, result, processed_at, body_sha256)
    SELECT 'bland', a.bland_call_id, a.ended_at,
           jsonb_build_object('call_id', a.bland_call_id, 'completed', true, 'status', 'completed',
                              'answered_by', a.answered_by, 'call_length', a.duration_seconds / 60,
                              'metadata', jsonb_build_object('attempt_id', a.id)),
           'processed', a.ended_at, sha256(convert_to(a.bland_call_id, 'UTF8'))
    FROM call_attempts a WHERE a.lead_id BETWEEN ${first} AND ${last}`.execute(db);
}

/**
 * Each lead's dial job, queued for tomorrow, as redial_job_insert (packages/jobs/sql) writes it:
 * set-based here, for the seed only.
 */
async function seedDialJobs(db: Db, first: number, last: number): Promise<void> {
  await sql`
    INSERT INTO pgboss.job (
      id, name, data, priority, start_after, created_on, singleton_key, expire_seconds,
      deletion_seconds, keep_until, retry_limit, retry_delay, retry_backoff, retry_delay_max, policy,
      dead_letter, heartbeat_seconds, blocked, blocking, pending_dependencies, upsert_by_key)
    SELECT gen_random_uuid(), q.name, jsonb_build_object('leadId', l.id), 0, l.next_attempt_at, now(),
           l.id::text, q.expire_seconds, q.deletion_seconds,
           l.next_attempt_at + q.retention_seconds * interval '1 second', q.retry_limit, q.retry_delay,
           q.retry_backoff, q.retry_delay_max, q.policy, q.dead_letter, q.heartbeat_seconds,
           false, false, 0, true
    FROM leads l JOIN pgboss.queue q ON q.name = 'dial'
    WHERE l.id BETWEEN ${first} AND ${last}`.execute(db);
}

async function setReportTriggers(db: Db, action: "ENABLE" | "DISABLE"): Promise<void> {
  for (const [table, prefix] of [
    ["leads", "report_leads"],
    ["call_attempts", "report_attempts"],
  ] as const)
    for (const event of ["inserted", "updated", "deleted"])
      await sql`ALTER TABLE ${sql.table(table)} ${sql.raw(action)} TRIGGER ${sql.ref(`${prefix}_${event}`)}`.execute(
        db,
      );
}
