import type { Db } from "@redial/db";
import { ReportArgumentError, type ReportClock, type ReportPeriod, reportPeriod } from "@redial/reports";
import { sql } from "kysely";
import { DateTime } from "luxon";
import { z } from "zod";

/** Campaign days a report may name: this system's data lies well inside them. */
const FIRST_DAY = "2000-01-01";
const LAST_DAY = "2099-12-31";

/** A real calendar day written YYYY-MM-DD between 2000 and 2099 (`2026-02-30`, year 9999: no). */
export function isReportDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const day = DateTime.fromISO(text, { zone: "utc" });
  return day.isValid && day.toISODate() === text && text >= FIRST_DAY && text <= LAST_DAY;
}

/** REPORT_MAX_DAYS's default: a year and a month. */
export const DEFAULT_REPORT_MAX_DAYS = 400;

const REPORT_DAY = `a calendar date written YYYY-MM-DD, between ${FIRST_DAY} and ${LAST_DAY}`;

/** The `from`/`to` of a report query (the route's and the CLI's input); 400 names the field. */
export const reportDay = z.string().refine(isReportDay, REPORT_DAY);

/**
 * `from` ≤ `to`, and at most `maxDays` days: one period per request, bounded in time and in rows.
 * Beyond it a caller pages: the next request starts the day after this one's `to`.
 */
export function checkReportRange(from: string, to: string, maxDays: number): void {
  for (const [field, day] of [
    ["from", from],
    ["to", to],
  ] as const)
    if (!isReportDay(day))
      throw new ReportArgumentError("invalid_day", `${field}: "${day}" is not ${REPORT_DAY}.`);
  if (from > to)
    throw new ReportArgumentError("invalid_period", `from (${from}) is after to (${to}): swap them.`);
  const days = DateTime.fromISO(to).diff(DateTime.fromISO(from), "days").days + 1;
  if (days > maxDays) {
    const firstTo = DateTime.fromISO(from)
      .plus({ days: maxDays - 1 })
      .toISODate();
    throw new ReportArgumentError(
      "invalid_period",
      `to: ${days} days asked for, a report covers at most ${maxDays} (REPORT_MAX_DAYS). Page: from=${from}&to=${firstTo}, then from the day after.`,
    );
  }
}

/**
 * Run a report's queries in one read-only transaction whose statements stop after `timeoutMs`
 * (PostgreSQL's statement_timeout, SQLSTATE 57014): a report never holds a connection for long.
 */
export async function withReportTimeout<T>(
  db: Db,
  timeoutMs: number,
  run: (db: Db) => Promise<T>,
): Promise<T> {
  return db
    .transaction()
    .setAccessMode("read only")
    .execute(async (trx) => {
      await sql`SELECT set_config('statement_timeout', ${String(Math.round(timeoutMs))}, true)`.execute(trx);
      return run(trx);
    });
}

/**
 * The period a report query asks for, checked (real days, from ≤ to, at most `maxDays`): `to`
 * defaults to today, `from` to 30 days before `to` (within `maxDays`).
 */
export async function checkedReportPeriod(
  ctx: ReportClock,
  range: { from?: string | undefined; to?: string | undefined },
  maxDays = DEFAULT_REPORT_MAX_DAYS,
): Promise<ReportPeriod> {
  const from =
    range.from ??
    (range.to
      ? (DateTime.fromISO(range.to)
          .minus({ days: Math.min(30, maxDays - 1) })
          .toISODate() ?? undefined)
      : undefined);
  const period = await reportPeriod(ctx, { from, to: range.to });
  checkReportRange(period.from, period.to, maxDays);
  return period;
}
