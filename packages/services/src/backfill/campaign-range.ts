import { DateTime } from "luxon";
import { InvalidBackfillRange } from "./backfill-errors.ts";

export interface CampaignRange {
  from: string;
  to: string;
  /** First instant of `from` in the campaign zone. */
  fromMs: number;
  /** First instant of the day after `to` (the range is inclusive of `to`). */
  toMs: number;
  key: string;
}

/** --from/--to campaign days (YYYY-MM-DD, inclusive) as instants in the campaign's zone. */
export function campaignRange(
  from: string,
  to: string | undefined,
  timezone: string,
  today: Date,
): CampaignRange {
  const start = day(from, "--from", timezone);
  const end =
    to === undefined
      ? DateTime.fromJSDate(today, { zone: timezone }).startOf("day")
      : day(to, "--to", timezone);
  if (end < start) throw new InvalidBackfillRange(`--to ${end.toISODate()} is before --from ${from}`);
  const toDay = end.toISODate() ?? "";
  return {
    from,
    to: toDay,
    fromMs: start.toMillis(),
    toMs: end.plus({ days: 1 }).toMillis(),
    key: `${from}..${toDay}`,
  };
}

/** The first instant of one campaign day. */
export function campaignDayStartMs(date: string, timezone: string): number {
  return day(date, "--from", timezone).toMillis();
}

function day(text: string, flag: string, timezone: string): DateTime {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(text)
    ? DateTime.fromISO(text, { zone: timezone })
    : DateTime.invalid("format");
  if (!parsed.isValid) throw new InvalidBackfillRange(`${flag} "${text}" is not a date`);
  return parsed.startOf("day");
}
