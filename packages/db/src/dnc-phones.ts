import type { Transaction } from "kysely";
import type { Db } from "./client.ts";
import type { Database } from "./schema.ts";

type Executor = Db | Transaction<Database>;

export async function isOnDncList(db: Executor, phone: string): Promise<boolean> {
  const row = await db.selectFrom("dnc_phones").select("phone").where("phone", "=", phone).executeTakeFirst();
  return row !== undefined;
}

/** Add a phone to our DNC list; adding it twice keeps the first reason. Returns true when new. */
export async function addToDncList(
  db: Executor,
  entry: { phone: string; reason: string; source: string },
): Promise<boolean> {
  const row = await db
    .insertInto("dnc_phones")
    .values(entry)
    .onConflict((oc) => oc.column("phone").doNothing())
    .returning("phone")
    .executeTakeFirst();
  return row !== undefined;
}
