import type { LeadStatus, Outcome } from "@redial/domain";
import { type ExpressionBuilder, sql, type Transaction } from "kysely";
import type { Db } from "./client.ts";
import { type Lead, toLead } from "./leads.ts";
import type { Database } from "./schema.ts";

type Executor = Db | Transaction<Database>;

/** What `GET /v1/leads` filters on; every field narrows (AND). */
export interface LeadSearch {
  status?: LeadStatus;
  /** Two-letter state: the stated one or any state the lead may be in. */
  state?: string;
  /** The lead's last call outcome, or its final outcome (SALE, DNC). */
  outcome?: Outcome;
  /** The kind of waiting reason: the text before its first colon (outside_window, daily_max_reached…). */
  waiting?: string;
  /** E.164, already normalized. */
  phone?: string;
  /** A Convoso lead id, or the start of a first or last name ("ann", "ann lee"). */
  q?: string;
  /** Leads with an id below this one (the previous page's next_cursor). */
  beforeId?: number;
  limit: number;
}

/** Leads matching the search, newest first, one page of `limit`. */
export async function searchLeads(db: Executor, search: LeadSearch): Promise<Lead[]> {
  let query = db.selectFrom("leads").selectAll();
  if (search.status) query = query.where("status", "=", search.status);
  if (search.state) {
    const state = search.state;
    query = query.where((eb) =>
      eb.or([eb("state", "=", state), eb(sql.val(state), "=", eb.fn.any("states"))]),
    );
  }
  if (search.outcome) {
    const outcome = search.outcome;
    query = query.where((eb) =>
      eb.or([eb("last_outcome", "=", outcome), eb("final_outcome", "=", outcome as "SALE" | "DNC")]),
    );
  }
  if (search.waiting) query = query.where(sql`split_part(waiting_reason, ':', 1)`, "=", search.waiting);
  if (search.phone) query = query.where("phone", "=", search.phone);
  if (search.q) query = query.where(matchesText(search.q));
  if (search.beforeId !== undefined) query = query.where("id", "<", search.beforeId);
  const rows = await query.orderBy("id", "desc").limit(search.limit).execute();
  return rows.map(toLead);
}

/** A Convoso id exactly, or name prefixes (case-insensitive; "ann lee" = first "ann…" and last "lee…"). */
function matchesText(q: string) {
  const words = q.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return (eb: ExpressionBuilder<Database, "leads">) => {
    const prefix = (column: "first_name" | "last_name", word: string) =>
      eb(sql`lower(${sql.ref(column)})`, "like", `${escapeLike(word)}%`);
    const byName =
      words.length >= 2
        ? eb.and([prefix("first_name", words[0] ?? ""), prefix("last_name", words.slice(1).join(" "))])
        : eb.or([prefix("first_name", words[0] ?? ""), prefix("last_name", words[0] ?? "")]);
    return eb.or([eb("convoso_lead_id", "=", q.trim()), byName]);
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
