import { callingMinutesOnDay, campaignDay } from "@redial/domain";
import { hourlyCallsReport, queueReport, reportPeriod, statisticsToday, totalsReport } from "@redial/reports";
import { fleetStatus, type RedialContext } from "@redial/services";

/**
 * What the Today and Queue pages show: every number from the reports package (and the statistics
 * it defines), none computed here. Definitions: packages/reports/README.md.
 */
export async function todayData(ctx: RedialContext, spendLimit: number | null) {
  const calendar = await ctx.calendar.get();
  const day = campaignDay(ctx.now(), calendar);
  const [stats, hourly, fleet] = await Promise.all([
    statisticsToday(ctx),
    hourlyCallsReport(ctx.db, { day, timezone: calendar.timezone }),
    fleetStatus(ctx),
  ]);
  const open = callingMinutesOnDay(day, { timezones: [calendar.timezone], states: [] }, calendar) > 0;
  const start = Number(calendar.schedule.startTime.slice(0, 2));
  const end =
    Number(calendar.schedule.endTime.slice(0, 2)) + (calendar.schedule.endTime.endsWith(":00") ? 0 : 1);
  const hours = Array.from({ length: 24 }, (_, hour) => hour).filter(
    (h) => h >= Math.min(start, 8) - 1 && h <= Math.max(end, 21),
  );
  const byHour = new Map(hourly.hours.map((h) => [h.hour, h.calls]));
  return {
    day,
    timezone: calendar.timezone,
    stats,
    spendLimit,
    fleet: fleet.state,
    window: { open, start: calendar.schedule.startTime, end: calendar.schedule.endTime },
    chart: {
      labels: hours.map((h) => `${String(h).padStart(2, "0")}:00`),
      calls: hours.map((h) => byHour.get(h) ?? 0),
      inWindow: hours.map((h) => (open && h >= start && h < end ? 1 : 0)),
    },
  };
}

export async function queueData(ctx: RedialContext) {
  const period = await reportPeriod(ctx, {});
  const [totals, queue] = await Promise.all([
    totalsReport(ctx.db, { timezone: period.timezone, today: period.today }),
    queueReport(ctx.db, { now: ctx.now() }),
  ]);
  return { totals, queue };
}
