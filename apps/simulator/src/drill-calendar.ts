/**
 * For the end-to-end tests, the bench and `pnpm demo` against the simulators: a campaign calendar
 * open around the clock (the federal 08:00–21:00 local rule still applies), and the clock offset
 * that puts the processes (CLOCK_OFFSET_SECONDS, refused outside scratch databases) at the last
 * noon in New York, inside every mainland lead's legal hours whatever the real hour.
 */
export const OPEN_CALENDAR = Object.freeze({
  timezone: "America/New_York",
  schedule: { days: [0, 1, 2, 3, 4, 5, 6], startTime: "00:00", endTime: "23:59" },
  blackoutDates: [],
  holidays: false,
  compliance: { federal: true, states: { enabled: false, disabled: [] } },
});

/** Seconds from `now` back to the last noon on New York's wall clock (≤ 0). */
export function noonOffsetSeconds(now = new Date()): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: "America/New_York",
    hourCycle: "h23",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(now);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const sinceNoon = part("hour") * 3600 + part("minute") * 60 + part("second") - 12 * 3600;
  const back = sinceNoon >= 0 ? sinceNoon : sinceNoon + 86_400;
  return back === 0 ? 0 : -back;
}
