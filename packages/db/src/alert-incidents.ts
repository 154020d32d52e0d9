import type { Transaction } from "kysely";
import type { Db } from "./client.ts";
import type { Database } from "./schema.ts";

type Executor = Db | Transaction<Database>;

/** An alert rule firing, from the evaluation that opened it to the one that found it quiet. */
export interface AlertIncident {
  id: number;
  rule: string;
  openedAt: Date;
  resolvedAt: Date | null;
  summary: string;
  details: Record<string, unknown>;
  notifiedTo: string[];
  errors: string[];
}

/**
 * Open an incident for `rule` unless one is open: at most one open per rule (a unique index), so
 * two evaluations at once open it once. Returns the new incident, or undefined when one was open.
 */
export async function openIncident(
  db: Executor,
  incident: { rule: string; openedAt: Date; summary: string; details: Record<string, unknown> },
): Promise<AlertIncident | undefined> {
  const row = await db
    .insertInto("alert_incidents")
    .values({
      rule: incident.rule,
      opened_at: incident.openedAt,
      summary: incident.summary,
      details: JSON.stringify(incident.details),
    })
    .onConflict((oc) => oc.column("rule").where("resolved_at", "is", null).doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ? toIncident(row) : undefined;
}

/** Resolve the open incident of `rule`; returns it, or undefined when none was open. */
export async function resolveIncident(
  db: Executor,
  rule: string,
  at: Date,
): Promise<AlertIncident | undefined> {
  const row = await db
    .updateTable("alert_incidents")
    .set({ resolved_at: at })
    .where("rule", "=", rule)
    .where("resolved_at", "is", null)
    .returningAll()
    .executeTakeFirst();
  return row ? toIncident(row) : undefined;
}

export async function saveIncidentDelivery(
  db: Executor,
  id: number,
  delivery: { notifiedTo: string[]; errors: string[] },
): Promise<void> {
  await db
    .updateTable("alert_incidents")
    .set({ notified_to: delivery.notifiedTo, errors: delivery.errors })
    .where("id", "=", id)
    .execute();
}

/** Open incidents first, then the most recent ones. */
export async function listIncidents(db: Executor, limit: number): Promise<AlertIncident[]> {
  const rows = await db
    .selectFrom("alert_incidents")
    .selectAll()
    .orderBy((eb) => eb.case().when("resolved_at", "is", null).then(0).else(1).end())
    .orderBy("opened_at", "desc")
    .limit(limit)
    .execute();
  return rows.map(toIncident);
}

function toIncident(row: {
  id: number;
  rule: string;
  opened_at: Date;
  resolved_at: Date | null;
  summary: string;
  details: unknown;
  notified_to: string[];
  errors: string[];
}): AlertIncident {
  return {
    id: row.id,
    rule: row.rule,
    openedAt: row.opened_at,
    resolvedAt: row.resolved_at,
    summary: row.summary,
    details: (row.details ?? {}) as Record<string, unknown>,
    notifiedTo: row.notified_to,
    errors: row.errors,
  };
}
