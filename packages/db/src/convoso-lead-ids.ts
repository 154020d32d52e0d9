import type { Transaction } from "kysely";
import type { Db } from "./client.ts";
import type { Database } from "./schema.ts";

type Executor = Db | Transaction<Database>;

/** A Convoso lead (its id, and its list when known) bound to one of our leads. */
export interface ConvosoLeadBinding {
  convosoLeadId: string;
  listId: string | null;
  leadId: number;
}

/**
 * Our leads that carry a Convoso lead id, ascending. With a list, only bindings in that list or in
 * no known list (a Convoso lead id is unique within its list); without one, every list's.
 */
export async function findLeadIdsByConvosoLeadId(
  db: Executor,
  convosoLeadId: string,
  listId?: string | null,
): Promise<number[]> {
  let query = db
    .selectFrom("convoso_lead_ids")
    .select("lead_id")
    .distinct()
    .where("convoso_lead_id", "=", convosoLeadId);
  if (listId) query = query.where("list_id", "in", [listId, ""]);
  const rows = await query.orderBy("lead_id").execute();
  return rows.map((row) => row.lead_id);
}

/** Record a binding; a second one of the same lead, id and list changes nothing (false). */
export async function bindConvosoLeadId(db: Executor, binding: ConvosoLeadBinding): Promise<boolean> {
  const result = await db
    .insertInto("convoso_lead_ids")
    .values({
      convoso_lead_id: binding.convosoLeadId,
      list_id: binding.listId ?? "",
      lead_id: binding.leadId,
    })
    .onConflict((oc) => oc.doNothing())
    .returning("lead_id")
    .executeTakeFirst();
  return result !== undefined;
}
