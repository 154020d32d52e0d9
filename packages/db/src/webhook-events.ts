import { sql, type Transaction } from "kysely";
import type { Db } from "./client.ts";
import type { Database, WebhookEventTable } from "./schema.ts";

export type WebhookEventResult = NonNullable<WebhookEventTable["result"]>;

type Executor = Db | Transaction<Database>;

/** Store the raw event before anything else happens to it. */
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

export async function markWebhookEvent(
  db: Executor,
  id: number,
  result: WebhookEventResult,
  error?: string,
): Promise<void> {
  await db
    .updateTable("webhook_events")
    .set({ result, error: error ?? null, processed_at: sql`now()` })
    .where("id", "=", id)
    .execute();
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
  const counts = { processed: 0, duplicate: 0, unknown_call: 0, ignored: 0, error: 0, pending: 0 };
  for (const row of rows) counts[row.result ?? "pending"] = row.n;
  return counts;
}
