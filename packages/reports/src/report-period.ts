import { type RawBuilder, sql } from "kysely";
import { ReportArgumentError } from "./report-error.ts";

/**
 * The campaign days a report covers, `from` and `to` inclusive ('YYYY-MM-DD'), read in the campaign
 * timezone (IANA). `today` is the campaign day of "now", passed in by the caller (the edge reads the clock).
 */
export interface ReportPeriod {
  from: string;
  to: string;
  timezone: string;
  today: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Throws ReportArgumentError unless the days are real dates, from ≤ to, and the zone is known. */
export function checkPeriod(p: ReportPeriod): void {
  checkDay("from", p.from);
  checkDay("to", p.to);
  checkDay("today", p.today);
  if (p.from > p.to) {
    throw new ReportArgumentError("invalid_period", `from (${p.from}) is after to (${p.to}): swap them.`);
  }
  checkTimezone(p.timezone);
}

export function checkDay(name: string, day: string): void {
  const date = new Date(`${day}T00:00:00Z`);
  if (!DAY.test(day) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day) {
    throw new ReportArgumentError(
      "invalid_day",
      `${name} must be a calendar date written YYYY-MM-DD, got "${day}".`,
    );
  }
}

export function checkTimezone(timezone: string): void {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
  } catch {
    throw new ReportArgumentError(
      "invalid_timezone",
      `"${timezone}" is not an IANA timezone: pass a name such as America/New_York.`,
    );
  }
}

/** The instant a campaign day starts, in SQL: one constant per query, so the created_at index applies. */
export function dayStart(day: string, timezone: string): RawBuilder<Date> {
  return sql<Date>`(${day}::text::date::timestamp AT TIME ZONE ${timezone}::text)`;
}

/** The instant the campaign day after `day` starts: the exclusive upper bound of `day`. */
export function dayEnd(day: string, timezone: string): RawBuilder<Date> {
  return sql<Date>`((${day}::text::date + 1)::timestamp AT TIME ZONE ${timezone}::text)`;
}

/** The calendar day `days` after `day` ('YYYY-MM-DD'; negative: before). */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The calendar day before `day` ('YYYY-MM-DD'). */
export function previousDay(day: string): string {
  return addDays(day, -1);
}

/** Every day from `from` to `to` inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const date = new Date(`${from}T00:00:00Z`);
  for (let day = from; day <= to; day = date.toISOString().slice(0, 10)) {
    days.push(day);
    date.setUTCDate(date.getUTCDate() + 1);
  }
  return days;
}
