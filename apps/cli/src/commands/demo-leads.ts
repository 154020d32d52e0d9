import { isWithinCallingWindow, type SchedulerConfig, schedulerConfigSchema } from "@redial/domain";

/**
 * The demo's campaign calendar: every day, all day, no holidays. The law is not relaxed: the
 * federal 08:00–21:00 rule in the lead's own zone and the state rules still decide every dial.
 */
export const DEMO_CALENDAR: SchedulerConfig = schedulerConfigSchema.parse({
  timezone: "America/New_York",
  schedule: { days: [0, 1, 2, 3, 4, 5, 6], startTime: "00:00", endTime: "23:59" },
  blackoutDates: [],
  holidays: false,
  compliance: { federal: true, states: { enabled: true, disabled: [] } },
});

export interface DemoPlace {
  city: string;
  /** The first six digits of the demo numbers (area code + a 555 exchange). */
  prefix: string;
  state: string;
  zip: string;
  zone: string;
}

/** One city per US zone, east to west: where the demo's leads live. */
export const DEMO_PLACES: readonly DemoPlace[] = [
  { city: "New York", prefix: "212555", state: "NY", zip: "10001", zone: "America/New_York" },
  { city: "Chicago", prefix: "312555", state: "IL", zip: "60601", zone: "America/Chicago" },
  { city: "Denver", prefix: "303555", state: "CO", zip: "80202", zone: "America/Denver" },
  { city: "Phoenix", prefix: "602555", state: "AZ", zip: "85004", zone: "America/Phoenix" },
  { city: "Los Angeles", prefix: "213555", state: "CA", zip: "90012", zone: "America/Los_Angeles" },
  { city: "Anchorage", prefix: "907555", state: "AK", zip: "99501", zone: "America/Anchorage" },
  { city: "Honolulu", prefix: "808555", state: "HI", zip: "96813", zone: "Pacific/Honolulu" },
];

/** How long a chosen place must stay callable: the demo runs for minutes, not hours. */
const CALLABLE_FOR_MS = 20 * 60_000;

/** The places where the engine allows a call at `now` and for the next 20 minutes. */
export function callablePlaces(now: Date, calendar: SchedulerConfig = DEMO_CALENDAR): DemoPlace[] {
  const until = new Date(now.getTime() + CALLABLE_FOR_MS);
  return DEMO_PLACES.filter((place) => {
    const where = { timezones: [place.zone], states: [place.state] };
    return isWithinCallingWindow(now, where, calendar) && isWithinCallingWindow(until, where, calendar);
  });
}

/**
 * Where the demo's clock stands. The real clock when some US zone is inside its legal hours now;
 * otherwise (about 07:00–13:00 UTC, night from Hawaii to New York) the last noon in New York, the
 * processes' clock shifted back to it — allowed only because the demo's database is a throwaway
 * one marked as scratch (CLOCK_OFFSET_SECONDS is refused on any other).
 */
export function demoClock(
  now: Date,
  noonOffsetSeconds: (now: Date) => number,
): { offsetSeconds: number; places: DemoPlace[] } {
  const places = callablePlaces(now);
  if (places.length > 0) return { offsetSeconds: 0, places };
  const offsetSeconds = noonOffsetSeconds(now);
  return { offsetSeconds, places: callablePlaces(new Date(now.getTime() + offsetSeconds * 1000)) };
}

/**
 * `count` leads spread over `places`, numbers from the 555-01xx range (fictional), each with the
 * written consent a dial needs (CONSENT_REQUIRED=written by default), captured before `processNow`.
 */
export function demoLeads(places: readonly DemoPlace[], count: number, processNow: Date) {
  return Array.from({ length: count }, (_, i) => {
    const place = places[i % places.length] as DemoPlace;
    return {
      phone: `${place.prefix}${String(100 + i).padStart(4, "0")}`,
      state: place.state,
      zip: place.zip,
      first_name: `Demo ${i + 1}`,
      source: "demo",
      consent: demoConsent(processNow),
    };
  });
}

/**
 * The written consent each demo lead carries (fictional, as the leads are): captured a day before
 * the processes' clock, so it is on record whatever clock the demo runs on.
 */
function demoConsent(processNow: Date) {
  return {
    type: "written",
    captured_at: new Date(processNow.getTime() - 86_400_000).toISOString(),
    source: "pnpm demo",
    text_version: "demo consent (fictional)",
  };
}
