import { sql, type Transaction } from "kysely";
import type { Database } from "./schema.ts";

/**
 * A lead completed as DNC becomes active again (its phone was taken off the DNC list by hand and
 * the operator asked to redial it): no final outcome, no schedule until the caller decides one.
 * Only a DNC completion is reopened; returns false for any other lead.
 */
export async function reopenDncLead(trx: Transaction<Database>, id: number): Promise<boolean> {
  const { rows } = await sql<{ id: number }>`
    UPDATE leads
    SET status = 'active', final_outcome = NULL, completed_at = NULL,
        next_attempt_at = NULL, waiting_reason = NULL, updated_at = now()
    WHERE id = ${id} AND status = 'completed' AND final_outcome = 'DNC'
    RETURNING id`.execute(trx);
  return rows.length > 0;
}
