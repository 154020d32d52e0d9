import type { Db } from "@redial/db";
import { sql } from "kysely";

/** A call in progress that a webhook can end: its attempt, its lead and the call id Bland gave it. */
export interface OpenCall {
  attemptId: number;
  leadId: number;
  callId: string;
  phone: string;
}

/**
 * `count` leads in Manhattan, each with one call in progress placed two minutes ago (call id
 * `wi-<n>`), as the dial transaction leaves them: set-based, in one statement per table.
 */
export async function seedOpenCalls(db: Db, count: number): Promise<OpenCall[]> {
  // In chunks: the report rollups' statement triggers count each inserted set of attempts.
  for (let first = 1; first <= count; first += SEED_CHUNK) {
    const last = Math.min(count, first + SEED_CHUNK - 1);
    await sql`
      WITH lead AS (
        INSERT INTO leads (phone, state, zip, timezones, states, status, attempts_total, source)
        SELECT '+1212' || lpad(g::text, 7, '0'), 'NY', '10001', '{America/New_York}', '{NY}', 'active', 1, 'bench'
        FROM generate_series(${first}::int, ${last}::int) AS g
        RETURNING id)
      INSERT INTO call_attempts (lead_id, attempt_number, campaign_day, dialed_at, state, bland_call_id)
      SELECT id, 1, (now() AT TIME ZONE 'America/New_York')::date, now() - interval '2 minutes',
             'in_progress', 'wi-' || id
      FROM lead`.execute(db);
  }
  await sql`ANALYZE leads, call_attempts`.execute(db);
  const { rows } = await sql<{ attempt_id: string; lead_id: string; call_id: string; phone: string }>`
    SELECT a.id AS attempt_id, a.lead_id, a.bland_call_id AS call_id, l.phone
    FROM call_attempts a JOIN leads l ON l.id = a.lead_id ORDER BY a.id`.execute(db);
  return rows.map((row) => ({
    attemptId: Number(row.attempt_id),
    leadId: Number(row.lead_id),
    callId: row.call_id,
    phone: row.phone,
  }));
}

const SEED_CHUNK = 2000;
