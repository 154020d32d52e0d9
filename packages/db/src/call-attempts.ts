import type { AttemptResult, AttemptSnapshot, AttemptState, Outcome } from "@redial/domain";
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

/** What the rules engine needs: every placed (or possibly placed) call since `since`, oldest first. */
export async function attemptHistory(db: Executor, leadId: number, since: Date): Promise<AttemptSnapshot[]> {
  const rows = await db
    .selectFrom("call_attempts")
    .select(["dialed_at", "ended_at", "state"])
    .where("lead_id", "=", leadId)
    .where("dialed_at", ">=", since)
    .where("state", "!=", "not_placed")
    .orderBy("dialed_at")
    .execute();
  return rows.map((row) => ({
    dialedAt: row.dialed_at,
    endedAt: row.state === "ended" ? (row.ended_at ?? row.dialed_at) : null,
  }));
}

/** What the dialer re-checks under the lead's lock, read in one statement. */
export interface DialFacts {
  /** The lead's call with no result yet (whenever it was dialed). */
  open: CallAttempt | undefined;
  onDncList: boolean;
  /** As attemptHistory: every placed (or possibly placed) call since `since`, oldest first. */
  history: AttemptSnapshot[];
}

/**
 * findOpenAttempt, isOnDncList and attemptHistory in one round trip (the dial transaction's
 * reads after it locked the lead; a statement started after the lock sees every commit before it).
 */
export async function loadDialFacts(
  db: Executor,
  lead: { id: number; phone: string },
  since: Date,
): Promise<DialFacts> {
  const { rows } = await sql<CallAttemptRow & { fact: "open" | "history" | "dnc" }>`
    (SELECT 'open' AS fact, o.* FROM (
       SELECT * FROM call_attempts
       WHERE lead_id = ${lead.id} AND state IN ('dialing', 'in_progress')
       ORDER BY dialed_at DESC LIMIT 1) o)
    UNION ALL
    (SELECT 'history', h.* FROM call_attempts h
     WHERE h.lead_id = ${lead.id} AND h.dialed_at >= ${since} AND h.state <> 'not_placed')
    UNION ALL
    (SELECT 'dnc', (NULL::call_attempts).* WHERE EXISTS (SELECT 1 FROM dnc_phones WHERE phone = ${lead.phone}))`.execute(
    db,
  );
  const open = rows.find((row) => row.fact === "open");
  return {
    open: open ? toAttempt(open) : undefined,
    onDncList: rows.some((row) => row.fact === "dnc"),
    history: rows
      .filter((row) => row.fact === "history")
      .sort((a, b) => a.dialed_at.getTime() - b.dialed_at.getTime())
      .map((row) => ({
        dialedAt: row.dialed_at,
        endedAt: row.state === "ended" ? (row.ended_at ?? row.dialed_at) : null,
      })),
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
 * Calls still without a result that were dialed before `dialedBefore`, of leads no dial job looks
 * after any more (completed or paused while the call was running): oldest first.
 */
export async function findOrphanOpenAttempts(
  db: Executor,
  dialedBefore: Date,
  limit: number,
): Promise<CallAttempt[]> {
  const rows = await db
    .selectFrom("call_attempts as a")
    .innerJoin("leads as l", "l.id", "a.lead_id")
    .selectAll("a")
    .where("a.state", "in", ["dialing", "in_progress"])
    .where("a.dialed_at", "<", dialedBefore)
    .where("l.status", "in", ["completed", "paused"])
    .orderBy("a.dialed_at")
    .limit(limit)
    .execute();
  return rows.map(toAttempt);
}

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

export async function lockAttempt(trx: Transaction<Database>, id: number): Promise<CallAttempt | undefined> {
  const row = await trx
    .selectFrom("call_attempts")
    .selectAll()
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  return row ? toAttempt(row) : undefined;
}

export async function insertAttempt(
  trx: Transaction<Database>,
  attempt: { leadId: number; attemptNumber: number; campaignDay: string; dialedAt: Date },
): Promise<number> {
  const row = await trx
    .insertInto("call_attempts")
    .values({
      lead_id: attempt.leadId,
      attempt_number: attempt.attemptNumber,
      campaign_day: attempt.campaignDay,
      dialed_at: attempt.dialedAt,
      state: "dialing",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
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

/** Bland certainly did not place the call: it does not count as a call anywhere. */
export async function markAttemptNotPlaced(db: Executor, id: number, error: string, at: Date): Promise<void> {
  await db
    .updateTable("call_attempts")
    .set({ state: "not_placed", error_message: error, ended_at: at })
    .where("id", "=", id)
    .where("state", "in", ["dialing", "in_progress"])
    .execute();
}

export async function saveAttemptResult(
  trx: Transaction<Database>,
  id: number,
  result: AttemptResult,
): Promise<void> {
  await trx
    .updateTable("call_attempts")
    .set({ state: "ended", ...attemptResultColumns(result) })
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

/** Calls placed (or possibly placed) by the dialer since `since`. */
export async function countDialsSince(trx: Transaction<Database>, since: Date): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM call_attempts
    WHERE dialed_at >= ${since} AND origin = 'dialer' AND state != 'not_placed'`.execute(trx);
  return rows[0]?.n ?? 0;
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
