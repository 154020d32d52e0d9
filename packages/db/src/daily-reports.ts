import { sql, type Transaction } from "kysely";
import type { Db } from "./client.ts";
import type { Database } from "./schema.ts";

type Executor = Db | Transaction<Database>;

/** A campaign day's report as stored and sent (migration 0015). */
export interface DailyReportRecord {
  day: string;
  createdAt: Date;
  numbers: Record<string, unknown>;
  text: string;
  deliveredTo: string[];
  errors: string[];
}

/** Store the day's report once; false when that day already has one (another worker sent it). */
export async function insertDailyReport(
  db: Executor,
  report: { day: string; numbers: Record<string, unknown>; text: string },
): Promise<boolean> {
  const row = await db
    .insertInto("daily_reports")
    .values({ day: report.day, numbers: JSON.stringify(report.numbers), text: report.text })
    .onConflict((oc) => oc.column("day").doNothing())
    .returning("day")
    .executeTakeFirst();
  return row !== undefined;
}

export async function saveDailyReportDelivery(
  db: Executor,
  day: string,
  delivery: { deliveredTo: string[]; errors: string[] },
): Promise<void> {
  await db
    .updateTable("daily_reports")
    .set({ delivered_to: delivery.deliveredTo, errors: delivery.errors })
    .where("day", "=", day)
    .execute();
}

const columns = [
  sql<string>`day::text`.as("day"),
  "created_at",
  "numbers",
  "text",
  "delivered_to",
  "errors",
] as const;

export async function listDailyReports(db: Executor, limit: number): Promise<DailyReportRecord[]> {
  const rows = await db
    .selectFrom("daily_reports")
    .select(columns)
    .orderBy("day", "desc")
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}

export async function findDailyReport(db: Executor, day: string): Promise<DailyReportRecord | undefined> {
  const row = await db.selectFrom("daily_reports").select(columns).where("day", "=", day).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

function toRecord(row: {
  day: string;
  created_at: Date;
  numbers: unknown;
  text: string;
  delivered_to: string[];
  errors: string[];
}): DailyReportRecord {
  return {
    day: row.day,
    createdAt: row.created_at,
    numbers: row.numbers as Record<string, unknown>,
    text: row.text,
    deliveredTo: row.delivered_to,
    errors: row.errors,
  };
}
