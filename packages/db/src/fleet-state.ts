import { sql, type Transaction } from "kysely";
import type { Db } from "./client.ts";
import type { Database } from "./schema.ts";

type Executor = Db | Transaction<Database>;

/** The channel workers LISTEN on: a notification means "read fleet_state again now". */
export const FLEET_STATE_CHANNEL = "redial_fleet_state";

/** Whether new dials may start anywhere in the fleet (migration 0015, one row). */
export interface FleetState {
  paused: boolean;
  /** manual: an operator paused; spend_cap: DAILY_SPEND_LIMIT was reached on campaign day `day`. */
  reason: "manual" | "spend_cap" | null;
  note: string | null;
  day: string | null;
  /** An operator resumed after the spend cap on this campaign day: the cap stays off until it ends. */
  capOverriddenDay: string | null;
  changedBy: string | null;
  changedAt: Date;
}

export async function getFleetState(db: Executor): Promise<FleetState> {
  const row = await db
    .selectFrom("fleet_state")
    .select([
      "paused",
      "reason",
      "note",
      sql<string | null>`day::text`.as("day"),
      sql<string | null>`cap_overridden_day::text`.as("cap_overridden_day"),
      "changed_by",
      "changed_at",
    ])
    .where("id", "=", 1)
    .executeTakeFirstOrThrow();
  return {
    paused: row.paused,
    reason: row.reason,
    note: row.note,
    day: row.day,
    capOverriddenDay: row.cap_overridden_day,
    changedBy: row.changed_by,
    changedAt: row.changed_at,
  };
}

/** Lock the row for a decision (pause, resume, the spend cap) and return it. */
export async function lockFleetState(trx: Transaction<Database>): Promise<FleetState> {
  await sql`SELECT 1 FROM fleet_state WHERE id = 1 FOR UPDATE`.execute(trx);
  return getFleetState(trx);
}

/** Write the switch and tell every listening worker (the notification is sent at commit). */
export async function saveFleetState(
  trx: Transaction<Database>,
  state: Omit<FleetState, "changedAt">,
  at: Date,
): Promise<void> {
  await trx
    .updateTable("fleet_state")
    .set({
      paused: state.paused,
      reason: state.reason,
      note: state.note,
      day: state.day,
      cap_overridden_day: state.capOverriddenDay,
      changed_by: state.changedBy,
      changed_at: at,
    })
    .where("id", "=", 1)
    .execute();
  await sql`SELECT pg_notify(${FLEET_STATE_CHANNEL}, ${state.paused ? "paused" : "running"})`.execute(trx);
}
