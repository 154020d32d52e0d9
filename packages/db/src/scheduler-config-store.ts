import type { Transaction } from "kysely";
import type { Db } from "./client.ts";
import type { Database } from "./schema.ts";

type Executor = Db | Transaction<Database>;

/** The stored campaign calendar (raw JSON: the caller validates it with the domain schema). */
export async function findStoredSchedulerConfig(
  db: Executor,
): Promise<{ config: unknown; updatedAt: Date } | undefined> {
  const row = await db
    .selectFrom("scheduler_config")
    .select(["config", "updated_at"])
    .where("id", "=", 1)
    .executeTakeFirst();
  return row ? { config: row.config, updatedAt: row.updated_at } : undefined;
}

/** First start only: store `config` unless one is stored already. Returns what is stored. */
export async function seedSchedulerConfig(db: Executor, config: unknown): Promise<unknown> {
  await db
    .insertInto("scheduler_config")
    .values({ id: 1, config: JSON.stringify(config) })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
  const stored = await findStoredSchedulerConfig(db);
  return stored?.config;
}

export async function saveSchedulerConfig(db: Executor, config: unknown): Promise<void> {
  await db
    .insertInto("scheduler_config")
    .values({ id: 1, config: JSON.stringify(config) })
    .onConflict((oc) =>
      oc.column("id").doUpdateSet({ config: JSON.stringify(config), updated_at: new Date() }),
    )
    .execute();
}
