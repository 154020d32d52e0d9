import type { AttemptResult, AttemptState, Outcome } from "@redial/domain";
import { sql, type Transaction } from "kysely";
import type { Db } from "./client.ts";
import type { CallAttemptRow, Database } from "./schema.ts";

export interface CallAttempt {
  id: number;
  leadId: number;
  attemptNumber: number;
  campaignDay: string;
  dialedAt: Date;
  state: AttemptState;
  origin: "dialer" | "backfill";
  blandCallId: string | null;
  outcome: Outcome | null;
  /** the field or phrase that decided the outcome (null before migration 0011) */
  outcomeReason: string | null;
  rawStatus: string | null;
  answeredBy: string | null;
  answered: boolean | null;
  durationSeconds: number | null;
  price: number | null;
  transferred: boolean | null;
  transferredTo: string | null;
  callbackAt: Date | null;
  errorMessage: string | null;
  endedAt: Date | null;
  webhookReceivedAt: Date | null;
  resultSource: "webhook" | "reconcile" | "backfill" | null;
}

type Executor = Db | Transaction<Database>;

export function toAttempt(row: CallAttemptRow): CallAttempt {
  return {
    id: row.id,
    leadId: row.lead_id,
    attemptNumber: row.attempt_number,
    campaignDay: row.campaign_day,
    dialedAt: row.dialed_at,
    state: row.state,
    origin: row.origin,
    blandCallId: row.bland_call_id,
    outcome: row.outcome as Outcome | null,
    outcomeReason: row.outcome_reason,
    rawStatus: row.raw_status,
    answeredBy: row.answered_by,
    answered: row.answered,
    durationSeconds: row.duration_seconds,
    price: row.price,
    transferred: row.transferred,
    transferredTo: row.transferred_to,
    callbackAt: row.callback_at,
    errorMessage: row.error_message,
    endedAt: row.ended_at,
    webhookReceivedAt: row.webhook_received_at,
    resultSource: row.result_source,
  };
}

export async function listAttempts(db: Executor, leadId: number): Promise<CallAttempt[]> {
  const rows = await db
    .selectFrom("call_attempts")
    .selectAll()
    .where("lead_id", "=", leadId)
    .orderBy("attempt_number")
    .execute();
  return rows.map(toAttempt);
}

/** The lead's call that has no result yet (at most one exists: the dialer never starts a second). */
export async function findOpenAttempt(db: Executor, leadId: number): Promise<CallAttempt | undefined> {
  const row = await db
    .selectFrom("call_attempts")
    .selectAll()
    .where("lead_id", "=", leadId)
    .where("state", "in", ["dialing", "in_progress"])
    .orderBy("dialed_at", "desc")
    .executeTakeFirst();
  return row ? toAttempt(row) : undefined;
}

/**
 * Calls still without a result, of leads no dial job looks after any more (completed or paused
 * while the call was running), dialed before `unplacedBefore` (no call id from Bland yet) or
 * `placedBefore` (placed): oldest first.
 */
export async function findOrphanOpenAttempts(
  db: Executor,
  dialedBefore: { unplacedBefore: Date; placedBefore: Date },
  limit: number,
): Promise<CallAttempt[]> {
  const rows = await db
    .selectFrom("call_attempts as a")
    .innerJoin("leads as l", "l.id", "a.lead_id")
    .selectAll("a")
    .where("a.state", "in", ["dialing", "in_progress"])
    .where("a.dialed_at", "<", maxDate(dialedBefore.unplacedBefore, dialedBefore.placedBefore))
    .where((eb) =>
      eb.or([
        eb.and([eb("a.bland_call_id", "is", null), eb("a.dialed_at", "<", dialedBefore.unplacedBefore)]),
        eb.and([eb("a.bland_call_id", "is not", null), eb("a.dialed_at", "<", dialedBefore.placedBefore)]),
      ]),
    )
    .where("l.status", "in", ["completed", "paused"])
    .orderBy("a.dialed_at")
    .limit(limit)
    .execute();
  return rows.map(toAttempt);
}

const maxDate = (a: Date, b: Date): Date => (a.getTime() > b.getTime() ? a : b);

export async function findAttempt(db: Executor, id: number): Promise<CallAttempt | undefined> {
  const row = await db.selectFrom("call_attempts").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toAttempt(row) : undefined;
}

export async function findAttemptByCallId(db: Executor, callId: string): Promise<CallAttempt | undefined> {
  const row = await db
    .selectFrom("call_attempts")
    .selectAll()
    .where("bland_call_id", "=", callId)
    .executeTakeFirst();
  return row ? toAttempt(row) : undefined;
}

/** Bland accepted the call: remember its id (unless the result already arrived and set it). */
export async function markAttemptPlaced(db: Executor, id: number, callId: string): Promise<void> {
  await db
    .updateTable("call_attempts")
    .set({
      bland_call_id: sql`coalesce(bland_call_id, ${callId})`,
      state: sql`CASE WHEN state = 'dialing' THEN 'in_progress' ELSE state END`,
    })
    .where("id", "=", id)
    .execute();
}

/** The call_attempts columns a result writes (webhook_received_at only for a webhook's). */
export function attemptResultColumns(result: AttemptResult) {
  return {
    bland_call_id: result.blandCallId,
    outcome: result.outcome,
    outcome_reason: result.outcomeReason,
    raw_status: result.rawStatus,
    answered_by: result.answeredBy,
    answered: result.answered,
    duration_seconds: result.durationSeconds,
    price: result.price,
    transferred: result.transferred,
    transferred_to: result.transferredTo,
    callback_at: result.callbackAt,
    error_message: result.errorMessage,
    ended_at: result.endedAt,
    result_source: result.source,
    ...(result.source === "webhook" ? { webhook_received_at: result.receivedAt } : {}),
  };
}

/** Calls (placed or possibly placed) of each lead on one campaign day. */
export async function countAttemptsOnDay(
  db: Executor,
  leadIds: readonly number[],
  day: string,
): Promise<Map<number, number>> {
  if (leadIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("call_attempts")
    .select(["lead_id", sql<number>`count(*)::int`.as("n")])
    .where("lead_id", "in", leadIds)
    .where("campaign_day", "=", day)
    .where("state", "!=", "not_placed")
    .groupBy("lead_id")
    .execute();
  return new Map(rows.map((row) => [row.lead_id, row.n]));
}

/**
 * The median length in seconds of the last `sample` calls that ended with a length, dialed since
 * `since` (null: none): the expected call is made of it (callChecksFor). Reads the newest first by
 * call_attempts_dialed_at_idx, so its cost does not grow with the table.
 */
export async function findMedianCallSeconds(db: Executor, since: Date, sample = 500): Promise<number | null> {
  const { rows } = await sql<{ median: number | null }>`
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_seconds)::float8 AS median
    FROM (SELECT duration_seconds FROM call_attempts
          WHERE dialed_at >= ${since} AND state = 'ended' AND duration_seconds IS NOT NULL
          ORDER BY dialed_at DESC LIMIT ${sample}) recent`.execute(db);
  return rows[0]?.median ?? null;
}
