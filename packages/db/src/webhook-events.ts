import type { AttemptState, Outcome } from "@redial/domain";
import { type RawBuilder, sql, type Transaction } from "kysely";
import type { Db } from "./client.ts";
import { type LeadReading, type ReadingRow, readingColumns, toReading } from "./lead-reading.ts";
import type { Database, WebhookEventTable } from "./schema.ts";

export type WebhookEventResult = NonNullable<WebhookEventTable["result"]>;

type Executor = Db | Transaction<Database>;

/** Store the raw event before anything else happens to it (Convoso's webhooks; Bland's: storeBlandEvent). */
export async function storeWebhookEvent(
  db: Executor,
  event: { source: "bland" | "convoso"; callId: string | null; body: unknown },
): Promise<number> {
  const row = await db
    .insertInto("webhook_events")
    .values({ source: event.source, call_id: event.callId, body: JSON.stringify(event.body) })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * A stored event's final result (SQL webhook_event_mark, which redial_write_result also runs): a
 * final result is never overwritten, except `error`.
 */
export async function markWebhookEvent(
  db: Executor,
  id: number,
  result: WebhookEventResult,
  error?: string,
): Promise<void> {
  await sql`SELECT webhook_event_mark(${id}::bigint, ${result}::text, ${error ?? null}::text)`.execute(db);
}

/** An attempt of ours found for a Bland call: by its call id, or by the attempt id in its metadata. */
export interface CallAttemptRef {
  id: number;
  leadId: number;
  state: AttemptState;
  blandCallId: string | null;
  dialedAt: Date;
  outcome: Outcome | null;
}

export interface CallAttempts {
  byCallId: CallAttemptRef | undefined;
  named: CallAttemptRef | undefined;
}

type FoundCell = ["call" | "metadata", number, number, AttemptState, string | null, number, Outcome | null];

/** The attempts a call may be about, as JSON cells (the one lookup, used alone and in storeBlandEvents). */
function callAttemptsJson(
  callId: RawBuilder<unknown>,
  attemptId: RawBuilder<unknown>,
): RawBuilder<FoundCell[] | null> {
  return sql<
    FoundCell[] | null
  >`(SELECT json_agg(json_build_array(f.found_by, f.id, f.lead_id, f.state, f.bland_call_id,
      extract(epoch FROM f.dialed_at) * 1000, f.outcome))
    FROM (SELECT 'call' AS found_by, a.* FROM call_attempts a WHERE a.bland_call_id = ${callId}
          UNION ALL
          SELECT 'metadata', a.* FROM call_attempts a WHERE a.id = ${attemptId}) f)`;
}

function toCallAttempts(cells: FoundCell[] | null): CallAttempts {
  const ref = (by: FoundCell[0]): CallAttemptRef | undefined => {
    const cell = cells?.find((c) => c[0] === by);
    return cell
      ? {
          id: cell[1],
          leadId: cell[2],
          state: cell[3],
          blandCallId: cell[4],
          dialedAt: new Date(cell[5]),
          outcome: cell[6],
        }
      : undefined;
  };
  return { byCallId: ref("call"), named: ref("metadata") };
}

/** The attempts a call may be about (bindCall decides which it is). */
export async function findCallAttempts(
  db: Executor,
  call: { callId: string | null; attemptId: number | null },
): Promise<CallAttempts> {
  const { rows } = await sql<{
    found: FoundCell[] | null;
  }>`SELECT ${callAttemptsJson(sql`${call.callId}::text`, sql`${call.attemptId}::bigint`)} AS found`.execute(
    db,
  );
  return toCallAttempts(rows[0]?.found ?? null);
}

export interface StoredBlandEvent {
  eventId: number;
  /** The same body (sha256 of its bytes) was stored before: this delivery was counted on that row. */
  redelivery: boolean;
  /** The row's result so far (null: not final yet). */
  result: WebhookEventResult | null;
  attempts: CallAttempts;
  /** The lead of the attempt found (by call id, else the one named), as a decision reads it. */
  lead: LeadReading | undefined;
}

/** A Bland delivery to store: its call, the attempt its metadata names, its body and the sha256 of its bytes. */
export interface BlandEventInput {
  callId: string | null;
  attemptId: number | null;
  body: unknown;
  sha256: Buffer;
}

/**
 * Store a Bland event, or count a redelivery of the same body bytes on its first row (delivery
 * count, last delivered), and in the same statement read the attempts it may be about and their
 * lead: what recording its result needs to decide. The row is committed whatever happens next.
 */
export async function storeBlandEvent(
  db: Db,
  event: BlandEventInput & { since: Date },
): Promise<StoredBlandEvent> {
  const [stored] = await storeBlandEvents(db, [event], event.since);
  if (!stored) throw new Error("The webhook event was not stored.");
  return stored;
}

/**
 * storeBlandEvent for many deliveries in one statement and one commit (the intake's group commit:
 * BlandEventBatcher), answered in their order. Their bodies must differ (sha256): a statement
 * cannot count two deliveries on one row. One bad event fails the whole statement.
 */
export async function storeBlandEvents(
  db: Db,
  events: BlandEventInput[],
  since: Date,
): Promise<StoredBlandEvent[]> {
  if (events.length === 0) return [];
  const { rows } = await sql<
    Partial<ReadingRow> & {
      event_id: string;
      delivery_count: number;
      event_result: WebhookEventResult | null;
      found: FoundCell[] | null;
      on_dnc_list: boolean;
    }
  >`
    WITH input AS (
      SELECT * FROM unnest(${events.map((e) => e.callId)}::text[], ${events.map((e) => e.attemptId)}::bigint[],
                           ${events.map((e) => JSON.stringify(e.body))}::text[], ${events.map((e) => e.sha256)}::bytea[])
        WITH ORDINALITY AS i(call_id, attempt_id, body, sha256, n)),
    stored AS (
      INSERT INTO webhook_events AS e (source, call_id, body, body_sha256)
      SELECT 'bland', i.call_id, i.body::jsonb, i.sha256 FROM input i ORDER BY i.n
      ON CONFLICT (source, body_sha256) WHERE body_sha256 IS NOT NULL
      DO UPDATE SET delivery_count = e.delivery_count + 1, last_delivered_at = now()
      RETURNING e.id, e.delivery_count, e.result, e.body_sha256)
    SELECT s.id AS event_id, s.delivery_count, s.result AS event_result, f.found, l.*, ${readingColumns(since)}
    FROM input i
    JOIN stored s ON s.body_sha256 = i.sha256
    CROSS JOIN LATERAL (SELECT ${callAttemptsJson(sql`i.call_id`, sql`i.attempt_id`)} AS found) f
    LEFT JOIN leads l ON l.id = (
      SELECT (c ->> 2)::bigint FROM json_array_elements(f.found) c ORDER BY c ->> 0 LIMIT 1)
    ORDER BY i.n`.execute(db);
  if (rows.length !== events.length) throw new Error("The webhook events were not all stored.");
  return rows.map((row) => ({
    eventId: Number(row.event_id),
    redelivery: row.delivery_count > 1,
    result: row.event_result,
    attempts: toCallAttempts(row.found),
    lead: row.id != null ? toReading(row as ReadingRow & { on_dnc_list: boolean }, since) : undefined,
  }));
}

/** Bland events still without a final result, received over `olderThanSeconds` ago (database clock), oldest first. */
export async function listPendingBlandEvents(
  db: Executor,
  olderThanSeconds: number,
  limit: number,
  afterId = 0,
): Promise<{ id: number; body: unknown }[]> {
  const rows = await db
    .selectFrom("webhook_events")
    .select(["id", "body"])
    .where("source", "=", "bland")
    .where("result", "is", null)
    .where("received_at", "<", sql<Date>`now() - make_interval(secs => ${olderThanSeconds})`)
    .where("id", ">", afterId)
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((row) => ({ id: row.id, body: row.body }));
}

export interface StoredWebhookEvent {
  id: number;
  callId: string | null;
  receivedAt: Date;
  body: unknown;
  result: WebhookEventResult | null;
}

/** Bland events in receive order, a page at a time (the webhook-log backfill reads these). */
export async function listBlandEvents(
  db: Executor,
  options: { since?: Date; afterId?: number; limit: number },
): Promise<StoredWebhookEvent[]> {
  let query = db.selectFrom("webhook_events").selectAll().where("source", "=", "bland");
  if (options.since) query = query.where("received_at", ">=", options.since);
  if (options.afterId) query = query.where("id", ">", options.afterId);
  const rows = await query.orderBy("id").limit(options.limit).execute();
  return rows.map((row) => ({
    id: row.id,
    callId: row.call_id,
    receivedAt: row.received_at,
    body: row.body,
    result: row.result,
  }));
}

export async function countWebhookEvents(
  db: Executor,
): Promise<Record<WebhookEventResult | "pending", number>> {
  const rows = await db
    .selectFrom("webhook_events")
    .select(["result", sql<number>`count(*)::int`.as("n")])
    .groupBy("result")
    .execute();
  const counts = {
    processed: 0,
    duplicate: 0,
    unknown_call: 0,
    ignored: 0,
    conflict: 0,
    error: 0,
    pending: 0,
  };
  for (const row of rows) counts[row.result ?? "pending"] = row.n;
  return counts;
}
