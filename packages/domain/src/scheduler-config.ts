import { DateTime, IANAZone } from "luxon";
import { z } from "zod";

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const isoDay = z
  .string()
  .regex(DAY, "a date written YYYY-MM-DD")
  .refine((day) => DateTime.fromISO(day).isValid, "a real calendar date (YYYY-MM-DD)");

const timeOfDay = z.string().regex(HH_MM, 'a time of day "HH:MM" (24-hour, e.g. "11:00")');

const ianaZone = z
  .string()
  .refine((zone) => IANAZone.isValidZone(zone), "an IANA timezone name such as America/New_York");

const scheduleSchema = z
  .object({
    /** 0 = Sunday … 6 = Saturday */
    days: z
      .array(z.number().int().min(0).max(6))
      .min(1, "at least one calling day (0 = Sunday … 6 = Saturday)"),
    startTime: timeOfDay,
    endTime: timeOfDay,
  })
  .refine((s) => minutesOfDay(s.endTime) > minutesOfDay(s.startTime), {
    message: "endTime must be later than startTime on the same day",
    path: ["endTime"],
  });

const holidaysSchema = z.union([
  z.boolean().transform((enabled) => ({ enabled, except: [] as string[] })),
  z.object({
    /** US federal holidays (date-holidays, observed days included) are not calling days. */
    enabled: z.boolean().default(true),
    /** holiday names to call on anyway, e.g. ["Columbus Day"] */
    except: z.array(z.string()).default([]),
  }),
]);

const complianceSchema = z.object({
  /** Federal 08:00–21:00 in the called party's zones. Always on: it cannot be switched off. */
  federal: z.literal(true).default(true),
  states: z
    .object({
      enabled: z.boolean().default(true),
      /** two-letter states whose rows of state-calling-rules.ts are NOT applied */
      disabled: z.array(z.string().regex(/^[A-Z]{2}$/, "a two-letter state code such as FL")).default([]),
    })
    .default({ enabled: true, disabled: [] }),
});

/**
 * The campaign calendar. Accepts the seed's `data/scheduler-config.json` as is:
 * `{timezone, schedule:{days, startTime, endTime}, blackoutDates}`, plus optional extensions:
 * `holidays` (US federal, on by default; `true`/`false` or `{enabled, except}`), `namedBlackouts`
 * (`[{date, name}]`) and `compliance` (`{federal: true, states: {enabled, disabled}}`).
 */
export const schedulerConfigSchema = z.object({
  timezone: ianaZone,
  schedule: scheduleSchema,
  blackoutDates: z.array(isoDay).default([]),
  holidays: holidaysSchema.default({ enabled: true, except: [] }),
  namedBlackouts: z.array(z.object({ date: isoDay, name: z.string().min(1) })).default([]),
  compliance: complianceSchema.default({ federal: true, states: { enabled: true, disabled: [] } }),
});

export type SchedulerConfig = z.infer<typeof schedulerConfigSchema>;
export type SchedulerConfigInput = z.input<typeof schedulerConfigSchema>;

/** 11:00–20:00 America/New_York, Monday–Friday, US federal holidays off, every state rule on. */
export const DEFAULT_SCHEDULER_CONFIG: SchedulerConfig = deepFreeze(
  schedulerConfigSchema.parse({
    timezone: "America/New_York",
    schedule: { days: [1, 2, 3, 4, 5], startTime: "11:00", endTime: "20:00" },
    blackoutDates: [],
  }),
);

/** Minutes since midnight of "HH:MM". */
export function minutesOfDay(hhmm: string): number {
  const [hours, minutes] = hhmm.split(":").map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/** The campaign day ('YYYY-MM-DD' in the campaign zone) an instant falls on. */
export function campaignDay(now: Date, config: SchedulerConfig): string {
  return DateTime.fromMillis(now.getTime(), { zone: config.timezone }).toISODate() ?? "";
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
