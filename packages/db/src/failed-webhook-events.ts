import { sql } from "kysely";
import type { Db } from "./client.ts";

export interface FailedWebhookEvent {
  id: number;
  source: string;
  callId: string | null;
  receivedAt: Date;
  error: string | null;
}

/** Webhook events whose handling failed (result = error), newest first: the console's Health page. */
export async function listFailedWebhookEvents(db: Db, limit: number): Promise<FailedWebhookEvent[]> {
  const { rows } = await sql<{
    id: number;
    source: string;
    call_id: string | null;
    received_at: Date;
    error: string | null;
  }>`
    SELECT id, source, call_id, received_at, error FROM webhook_events
    WHERE result = 'error' ORDER BY received_at DESC LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    source: r.source,
    callId: r.call_id,
    receivedAt: r.received_at,
    error: r.error,
  }));
}
