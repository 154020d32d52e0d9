import type { AttemptResult, AttemptSnapshot } from "@redial/domain";
import { sql } from "kysely";
import { attemptResultColumns } from "./call-attempts.ts";
import type { Db } from "./client.ts";
import { type Lead, toLead } from "./leads.ts";
import type { LeadRow } from "./schema.ts";

/**
 * The dial loop's writes as one statement each (migration 0010): the caller reads a lead's facts
 * without a lock, decides, and hands the writes over with the version it read. A function that
 * finds the lead changed writes nothing and answers `stale`: decide again on the locked path.
 */

/** A lead as read for a decision, with what proves later that it is unchanged. */
export interface LeadReading {
  lead: Lead;
  /** The row's version (xmin): every UPDATE of the lead changes it. */
  version: string;
  /** lead_attempts_mark(lead, since): its recent and open attempts, counted by state. */
  attemptsMark: string;
  /** As attemptHistory (with each attempt's id): every placed (or possibly placed) call since `since`, oldest first. */
  history: (AttemptSnapshot & { attemptId: number })[];
}

export interface DialReading extends LeadReading {
  /** A call of the lead has no result yet. */
  open: boolean;
  onDncList: boolean;
}

type ReadingRow = LeadRow & {
  version: string;
  attempts_mark: string;
  history: [number, number, number | null][];
};

/** The history and version columns of a reading of lead `l`, attempts since $since. */
const readingColumns = (since: Date) => sql`
  l.xmin::text AS version,
  lead_attempts_mark(l.id, ${since}) AS attempts_mark,
  (SELECT coalesce(json_agg(json_build_array(
            a.id,
            extract(epoch FROM a.dialed_at) * 1000,
            CASE WHEN a.state = 'ended' THEN extract(epoch FROM coalesce(a.ended_at, a.dialed_at)) * 1000 END)
          ORDER BY a.dialed_at), '[]')
   FROM call_attempts a
   WHERE a.lead_id = l.id AND a.dialed_at >= ${since} AND a.state <> 'not_placed') AS history`;

function toReading(row: ReadingRow): LeadReading {
  return {
    lead: toLead(row),
    version: row.version,
    attemptsMark: row.attempts_mark,
    history: row.history.map(([attemptId, dialedAt, endedAt]) => ({
      attemptId,
      dialedAt: new Date(dialedAt),
      endedAt: endedAt === null ? null : new Date(endedAt),
    })),
  };
}

/** Everything planDial reads of a lead, in one statement and without a lock. */
export async function findDialReading(db: Db, leadId: number, since: Date): Promise<DialReading | undefined> {
  const { rows } = await sql<ReadingRow & { open: boolean; on_dnc_list: boolean }>`
    SELECT l.*, ${readingColumns(since)},
      EXISTS (SELECT 1 FROM call_attempts o WHERE o.lead_id = l.id AND o.state IN ('dialing', 'in_progress')) AS open,
      EXISTS (SELECT 1 FROM dnc_phones d WHERE d.phone = l.phone) AS on_dnc_list
    FROM leads l WHERE l.id = ${leadId}`.execute(db);
  const row = rows[0];
  return row ? { ...toReading(row), open: row.open, onDncList: row.on_dnc_list } : undefined;
}

export interface BeginDial {
  reading: LeadReading;
  since: Date;
  attemptNumber: number;
  campaignDay: string;
  dialedAt: Date;
  /** The lead's schedule while the call is in progress, and its job's delay from now (dialJobDelaySeconds). */
  nextAttemptAt: Date;
  waitingReason: string;
  jobDelaySeconds: number;
  maxConcurrent: number;
}

export type BeginDialResult =
  | { kind: "dialing"; attemptId: number }
  | { kind: "stale" }
  | { kind: "fleet_limit"; message: string };

/** redial_dial_begin: the dial transaction's writes in one statement (see migration 0010). */
export async function beginDial(db: Db, dial: BeginDial): Promise<BeginDialResult> {
  try {
    const { rows } = await sql<{ attempt: string | null }>`
      SELECT redial_dial_begin(${dial.reading.lead.id}, ${dial.reading.version},
        ${dial.reading.attemptsMark}, ${dial.since}, ${dial.attemptNumber}, ${dial.campaignDay},
        ${dial.dialedAt}, ${dial.nextAttemptAt}, ${dial.waitingReason},
        ${dial.jobDelaySeconds}::float8, ${dial.maxConcurrent}) AS attempt`.execute(db);
    const attempt = rows[0]?.attempt;
    return attempt == null ? { kind: "stale" } : { kind: "dialing", attemptId: Number(attempt) };
  } catch (error) {
    if (sqlState(error) === "RD001") return { kind: "fleet_limit", message: (error as Error).message };
    throw error;
  }
}

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** A stored Bland webhook event, with the attempt it is about and its lead as read then. */
export interface StoredBlandEvent {
  eventId: number;
  /** The attempt, found as findAttemptForCall finds it (metadata attempt id, else call id). */
  attempt?: { id: number; leadId: number; state: string; blandCallId: string | null };
  lead?: LeadReading;
}

/**
 * Store the raw event (committed whatever happens next) and, in the same statement, read the
 * attempt it is about and that attempt's lead: what recording the result needs to decide.
 */
export async function storeBlandEvent(
  db: Db,
  event: { callId: string | null; body: unknown; attemptId: number | null; since: Date },
): Promise<StoredBlandEvent> {
  const { rows } = await sql<
    Partial<ReadingRow> & {
      event_id: number;
      attempt_id: number | null;
      attempt_lead_id: number | null;
      attempt_state: string | null;
      attempt_call_id: string | null;
    }
  >`
    WITH event AS (
      INSERT INTO webhook_events (source, call_id, body) VALUES ('bland', ${event.callId}, ${JSON.stringify(event.body)})
      RETURNING id),
    attempt AS (
      SELECT * FROM (
        SELECT 1 AS rank, a.id, a.lead_id, a.state, a.bland_call_id FROM call_attempts a
        WHERE a.id = ${event.attemptId}::bigint
          AND (a.bland_call_id IS NULL OR ${event.callId}::text IS NULL OR a.bland_call_id = ${event.callId}::text)
        UNION ALL
        SELECT 2, a.id, a.lead_id, a.state, a.bland_call_id FROM call_attempts a
        WHERE a.bland_call_id = ${event.callId}::text) found
      ORDER BY rank LIMIT 1)
    SELECT e.id AS event_id, t.id AS attempt_id, t.lead_id AS attempt_lead_id, t.state AS attempt_state,
      t.bland_call_id AS attempt_call_id, l.*, ${readingColumns(event.since)}
    FROM event e
    LEFT JOIN attempt t ON true
    LEFT JOIN leads l ON l.id = t.lead_id`.execute(db);
  const row = rows[0];
  if (!row) throw new Error("The webhook event was not stored.");
  const stored: StoredBlandEvent = { eventId: Number(row.event_id) };
  if (row.attempt_id === null || row.attempt_lead_id === null || row.attempt_state === null) return stored;
  stored.attempt = {
    id: Number(row.attempt_id),
    leadId: Number(row.attempt_lead_id),
    state: row.attempt_state,
    blandCallId: row.attempt_call_id,
  };
  if (row.id != null) stored.lead = toReading(row as ReadingRow);
  return stored;
}

export interface RecordResult {
  reading: LeadReading;
  since: Date;
  attemptId: number;
  ended: AttemptResult;
  lead: {
    status: "active" | "daily_max_reached";
    nextAttemptAt: Date;
    waitingReason: string | null;
    lastOutcome: string;
    callbackAt: Date | null;
    /** Only ever set (null keeps the stored one). */
    badNumberUntil: Date | null;
  };
  /** dialJobDelaySeconds of the lead's next job. */
  jobDelaySeconds: number;
  /** The convoso-sync job's payload, when outcomes go to Convoso. */
  convosoSync: Record<string, unknown> | null;
  webhookEventId: number | null;
}

/** redial_record_result: a result that keeps the lead redialing, in one statement (migration 0010). */
export async function recordResult(db: Db, result: RecordResult): Promise<"processed" | "stale"> {
  const { lead } = result;
  const { rows } = await sql<{ recorded: string | null }>`
    SELECT redial_record_result(${result.reading.lead.id}, ${result.reading.version},
      ${result.reading.attemptsMark}, ${result.since}, ${result.attemptId}, ${JSON.stringify(attemptResultColumns(result.ended))}::jsonb,
      ${lead.status}, ${lead.nextAttemptAt}, ${lead.waitingReason}, ${lead.lastOutcome}, ${lead.callbackAt},
      ${lead.badNumberUntil}, ${result.jobDelaySeconds}::float8,
      ${result.convosoSync === null ? null : JSON.stringify(result.convosoSync)}::jsonb,
      ${result.webhookEventId}::bigint) AS recorded`.execute(db);
  return rows[0]?.recorded === "processed" ? "processed" : "stale";
}
