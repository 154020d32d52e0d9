import { sql, type Transaction } from "kysely";
import type { Db } from "./client.ts";
import type { Database } from "./schema.ts";

type Executor = Db | Transaction<Database>;

export async function isOnDncList(db: Executor, phone: string): Promise<boolean> {
  const row = await db.selectFrom("dnc_phones").select("phone").where("phone", "=", phone).executeTakeFirst();
  return row !== undefined;
}

/** Add a phone to our DNC list (SQL dnc_phone_add, as the lead writers do); adding it twice keeps the first reason. True when new. */
export async function addToDncList(
  db: Executor,
  entry: { phone: string; reason: string; source: string },
): Promise<boolean> {
  const { rows } = await sql<{ added: boolean }>`
    SELECT dnc_phone_add(${entry.phone}, ${entry.reason}, ${entry.source}) AS added`.execute(db);
  return rows[0]?.added === true;
}

export interface DncEntry {
  phone: string;
  reason: string;
  source: string;
  createdAt: Date;
}

/** Take a phone off our DNC list; returns the entry it removed, or undefined when it was not listed. */
export async function removeFromDncList(db: Executor, phone: string): Promise<DncEntry | undefined> {
  const row = await db.deleteFrom("dnc_phones").where("phone", "=", phone).returningAll().executeTakeFirst();
  return row
    ? { phone: row.phone, reason: row.reason, source: row.source, createdAt: row.created_at }
    : undefined;
}

/** Our DNC list, newest first; `before` (the previous page's last entry) pages on; `phone` finds one. */
export async function listDnc(
  db: Executor,
  options: { limit: number; before?: { createdAt: Date; phone: string }; phone?: string },
): Promise<DncEntry[]> {
  let query = db.selectFrom("dnc_phones").selectAll();
  const before = options.before;
  if (before)
    query = query.where((eb) =>
      eb(eb.refTuple("created_at", "phone"), "<", eb.tuple(before.createdAt, before.phone)),
    );
  if (options.phone) query = query.where("phone", "=", options.phone);
  const rows = await query
    .orderBy("created_at", "desc")
    .orderBy("phone", "desc")
    .limit(options.limit)
    .execute();
  return rows.map((row) => ({
    phone: row.phone,
    reason: row.reason,
    source: row.source,
    createdAt: row.created_at,
  }));
}
