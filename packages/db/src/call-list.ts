import { sql, type Transaction } from "kysely";
import type { CallAttempt } from "./call-attempts.ts";
import { toAttempt } from "./call-attempts.ts";
import type { Db } from "./client.ts";
import type { Database } from "./schema.ts";

type Executor = Db | Transaction<Database>;

/** A call attempt with the lead's phone and name, as the call list shows it. */
export interface CallListEntry extends CallAttempt {
  phone: string;
  leadName: string | null;
}

/** Where the previous page ended: the last attempt's dial time and id. */
export interface CallCursor {
  dialedAt: Date;
  id: number;
}

/** The most recently dialed call attempts first (`GET /v1/calls`); `before` pages on. */
export async function listRecentCalls(
  db: Executor,
  options: { limit: number; before?: CallCursor; outcome?: string; openOnly?: boolean; leadId?: number },
): Promise<CallListEntry[]> {
  let query = db
    .selectFrom("call_attempts as a")
    .innerJoin("leads as l", "l.id", "a.lead_id")
    .selectAll("a")
    .select([
      "l.phone",
      sql<string | null>`nullif(trim(concat_ws(' ', l.first_name, l.last_name)), '')`.as("lead_name"),
    ]);
  const before = options.before;
  if (before)
    query = query.where((eb) =>
      eb(eb.refTuple("a.dialed_at", "a.id"), "<", eb.tuple(before.dialedAt, before.id)),
    );
  if (options.leadId !== undefined) query = query.where("a.lead_id", "=", options.leadId);
  if (options.outcome) query = query.where("a.outcome", "=", options.outcome);
  if (options.openOnly) query = query.where("a.state", "in", ["dialing", "in_progress"]);
  const rows = await query
    .orderBy("a.dialed_at", "desc")
    .orderBy("a.id", "desc")
    .limit(options.limit)
    .execute();
  return rows.map((row) => ({ ...toAttempt(row), phone: row.phone, leadName: row.lead_name }));
}
