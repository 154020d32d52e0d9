import type { AttemptSnapshot, AttemptState, LeadFacts } from "@redial/domain";
import { type RawBuilder, sql, type Transaction } from "kysely";
import type { Db } from "./client.ts";
import { type Lead, toLead } from "./leads.ts";
import type { Database, LeadRow } from "./schema.ts";

type Executor = Db | Transaction<Database>;

/**
 * A lead as read for a decision (dial, result, reschedule): the lead, its calls since `since`
 * (historyStart(now)), its open call, the DNC flag — and what proves later that none of it
 * changed (`version`, `attemptsMark`: the guard of the lead writers, lead-writes.ts).
 */
export interface LeadReading extends LeadFacts {
  lead: Lead;
  open: OpenAttempt | null;
  /** The row's version (xmin): every UPDATE of the lead changes it. */
  version: string;
  /** lead_attempts_mark(lead, since): its recent and open attempts, counted by state. */
  attemptsMark: string;
  since: Date;
}

/** The lead's call with no result yet. */
export interface OpenAttempt {
  attemptId: number;
  dialedAt: Date;
  blandCallId: string | null;
}

/** One attempt as the reading's JSON carries it: id, dialed (ms), ended (ms, null while open), state, call id, in the history. */
type AttemptCell = [number, number, number | null, AttemptState, string | null, boolean];

export type ReadingRow = LeadRow & { version: string; attempts_mark: string; attempts: AttemptCell[] };

/**
 * The columns of a reading of lead `l` (joined as `l`), attempts since `since`: the one definition
 * of what a decision reads of a lead's calls, used by readLead and by storeBlandEvent's statement.
 */
export function readingColumns(since: Date): RawBuilder<unknown> {
  return sql`
    l.xmin::text AS version,
    lead_attempts_mark(l.id, ${since}) AS attempts_mark,
    (SELECT coalesce(json_agg(json_build_array(
              a.id,
              extract(epoch FROM a.dialed_at) * 1000,
              CASE WHEN a.state = 'ended' THEN extract(epoch FROM coalesce(a.ended_at, a.dialed_at)) * 1000 END,
              a.state,
              a.bland_call_id,
              a.dialed_at >= ${since} AND a.state <> 'not_placed')
            ORDER BY a.dialed_at), '[]')
     FROM call_attempts a
     WHERE a.lead_id = l.id AND (a.dialed_at >= ${since} OR a.state IN ('dialing', 'in_progress'))) AS attempts,
    EXISTS (SELECT 1 FROM dnc_phones d WHERE d.phone = l.phone) AS on_dnc_list`;
}

export function toReading(row: ReadingRow & { on_dnc_list: boolean }, since: Date): LeadReading {
  const history: (AttemptSnapshot & { attemptId: number })[] = [];
  let open: OpenAttempt | null = null;
  for (const [attemptId, dialed, ended, state, blandCallId, inHistory] of row.attempts) {
    const dialedAt = new Date(dialed);
    if (inHistory) history.push({ attemptId, dialedAt, endedAt: ended === null ? null : new Date(ended) });
    // Oldest first: the latest open call wins (the dialer never starts a second one).
    if (state === "dialing" || state === "in_progress") open = { attemptId, dialedAt, blandCallId };
  }
  return {
    lead: toLead(row),
    version: row.version,
    attemptsMark: row.attempts_mark,
    since,
    history,
    open,
    onDncList: row.on_dnc_list,
  };
}

/** The lead as a decision reads it, in one statement, without a lock (see readLockedLead). */
export async function readLead(db: Executor, leadId: number, since: Date): Promise<LeadReading | undefined> {
  const { rows } = await sql<ReadingRow & { on_dnc_list: boolean }>`
    SELECT l.*, ${readingColumns(since)} FROM leads l WHERE l.id = ${leadId}`.execute(db);
  const row = rows[0];
  return row ? toReading(row, since) : undefined;
}

/**
 * The lead locked for the rest of the transaction, then read: a statement started after the lock
 * sees every commit before it (a call another dialer recorded while this one waited).
 */
export async function readLockedLead(
  trx: Transaction<Database>,
  leadId: number,
  since: Date,
): Promise<LeadReading | undefined> {
  await sql`SELECT 1 FROM leads WHERE id = ${leadId} FOR UPDATE`.execute(trx);
  return readLead(trx, leadId, since);
}
