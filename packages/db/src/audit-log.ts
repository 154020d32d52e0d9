import type { Transaction } from "kysely";
import type { Db } from "./client.ts";
import type { Database } from "./schema.ts";

type Executor = Db | Transaction<Database>;

/** Who did a change by hand: the name of the API key (or dashboard login) that asked for it. */
export interface Actor {
  name: string;
}

/** What an operator changed: an action name, the lead or other subject, and its details. */
export interface AuditEntry {
  action: string;
  leadId?: number | null;
  subject?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditRecord {
  id: number;
  at: Date;
  actor: string;
  action: string;
  leadId: number | null;
  subject: string | null;
  details: Record<string, unknown>;
}

/** Record a change by hand; call it in the transaction that makes the change. */
export async function recordAudit(db: Executor, actor: Actor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      actor: actor.name,
      action: entry.action,
      lead_id: entry.leadId ?? null,
      subject: entry.subject ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

/** The newest changes by hand first, of one lead or of everything. */
export async function listAudit(
  db: Executor,
  options: { leadId?: number; limit: number; beforeId?: number },
): Promise<AuditRecord[]> {
  let query = db.selectFrom("audit_log").selectAll();
  if (options.leadId !== undefined) query = query.where("lead_id", "=", options.leadId);
  if (options.beforeId !== undefined) query = query.where("id", "<", options.beforeId);
  const rows = await query.orderBy("id", "desc").limit(options.limit).execute();
  return rows.map((row) => ({
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    leadId: row.lead_id,
    subject: row.subject,
    details: (row.details ?? {}) as Record<string, unknown>,
  }));
}
