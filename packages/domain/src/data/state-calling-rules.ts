/**
 * State telemarketing rules stricter than federal law, as data a compliance officer can read, change
 * and date. One row per state. NOT legal advice: each row names its source; verify before relying.
 *
 * - `hours`: per weekday (index 0 = Sunday … 6 = Saturday) the allowed local time "HH:MM-HH:MM",
 *   or null when the state forbids calls that day. Applied in EVERY candidate zone of the lead.
 * - `noLegalHolidays`: no calls on the state's legal holidays (date-holidays' public holidays of
 *   the state, observed days included).
 * - `rollingCap`: at most `calls` dial attempts per `hours` rolling hours per person.
 * - `effectiveFrom`: the row applies to calls on or after this date (YYYY-MM-DD).
 *
 * Versions: a change of a state's law is a NEW row with its own `effectiveFrom` (the old row stays:
 * a day before that date keeps it; the row in force on a day is the latest one effective by then).
 * Any change to this table (a new row, a corrected source) gives it a new `STATE_RULES_TABLE`
 * version and effective-from date, and pins its digest in test/rule-tables.test.ts, which fails
 * on an edit that kept the old version. Each call's stored evidence names the version it was
 * decided with and carries the rows it applied, so old evidence keeps pointing to its version.
 */
export interface StateCallingRule {
  state: string;
  hours: readonly [Day, Day, Day, Day, Day, Day, Day];
  noLegalHolidays: boolean;
  rollingCap: { calls: number; hours: number } | null;
  effectiveFrom: string;
  source: string;
  note?: string;
}

type Day = string | null;

/** A versioned rule table: its name, version id, and the date that version took effect. */
export interface RuleTableVersion {
  table: string;
  version: string;
  effectiveFrom: string;
}

export const STATE_RULES_TABLE: RuleTableVersion = Object.freeze({
  table: "state-calling-rules",
  version: "2026-11-28",
  effectiveFrom: "2026-11-28",
});

/** The table's version id (STATE_RULES_TABLE.version). */
export const STATE_RULES_VERSION = STATE_RULES_TABLE.version;

const every = (hours: string): StateCallingRule["hours"] => [hours, hours, hours, hours, hours, hours, hours];
const noSunday = (hours: string): StateCallingRule["hours"] => [
  null,
  hours,
  hours,
  hours,
  hours,
  hours,
  hours,
];
const CAP_3_PER_24H = { calls: 3, hours: 24 } as const;

export const STATE_CALLING_RULES: readonly StateCallingRule[] = Object.freeze([
  {
    state: "FL",
    hours: every("08:00-20:00"),
    noLegalHolidays: false,
    rollingCap: CAP_3_PER_24H,
    effectiveFrom: "2021-07-01",
    source: "Fla. Stat. 501.616(6) (2021 SB 1120)",
  },
  {
    state: "OK",
    hours: every("08:00-20:00"),
    noLegalHolidays: false,
    rollingCap: CAP_3_PER_24H,
    effectiveFrom: "2022-11-01",
    source: "15 O.S. §775C.4 (2022)",
    note: "Any Oklahoma area code is presumed to be a resident (handled by leadLocation).",
  },
  {
    state: "MD",
    hours: every("08:00-20:00"),
    noLegalHolidays: false,
    rollingCap: CAP_3_PER_24H,
    effectiveFrom: "2024-01-01",
    source: "Maryland Stop the Spam Calls Act 2023",
  },
  {
    state: "WA",
    hours: every("08:00-20:00"),
    noLegalHolidays: false,
    rollingCap: null,
    effectiveFrom: "2005-07-24",
    source: "RCW 19.158.040, 80.36.390",
    note: "After an opt-out no call for 1 year: covered by DNC ending redialing.",
  },
  {
    state: "TX",
    hours: [
      "12:00-21:00",
      "09:00-21:00",
      "09:00-21:00",
      "09:00-21:00",
      "09:00-21:00",
      "09:00-21:00",
      "09:00-21:00",
    ],
    noLegalHolidays: false,
    rollingCap: null,
    effectiveFrom: "2009-09-01",
    source: "Tex. Bus. & Com. Code §301.051",
  },
  {
    state: "LA",
    hours: noSunday("08:00-20:00"),
    noLegalHolidays: true,
    rollingCap: null,
    effectiveFrom: "2003-01-01",
    source: "La. R.S. 45:811; LPSC R-29617",
  },
  {
    state: "MS",
    hours: noSunday("08:00-20:00"),
    noLegalHolidays: false,
    rollingCap: null,
    effectiveFrom: "2003-07-01",
    source: "Miss. Code §77-3-723",
  },
  {
    state: "AL",
    hours: noSunday("08:00-20:00"),
    noLegalHolidays: true,
    rollingCap: null,
    effectiveFrom: "2003-01-01",
    source: "Ala. Admin. Code r. 770-X-5-.17",
  },
  {
    state: "PA",
    hours: every("08:00-21:00"),
    noLegalHolidays: true,
    rollingCap: null,
    effectiveFrom: "2003-01-01",
    source: "73 P.S. §2245(a)(10)",
  },
  {
    state: "RI",
    hours: [null, "09:00-18:00", "09:00-18:00", "09:00-18:00", "09:00-18:00", "09:00-18:00", "10:00-17:00"],
    noLegalHolidays: true,
    rollingCap: null,
    effectiveFrom: "2003-01-01",
    source: "R.I.G.L. §5-61-3.6",
  },
  {
    state: "UT",
    hours: every("08:00-21:00"),
    noLegalHolidays: true,
    rollingCap: null,
    effectiveFrom: "2003-01-01",
    source: "Utah Code 13-25a",
  },
  ...[
    ["KY", "10:00-21:00"],
    ["CT", "09:00-20:00"],
    ["MA", "08:00-20:00"],
    ["WY", "08:00-20:00"],
    ["NV", "09:00-20:00"],
    ["MI", "09:00-21:00"],
    ["MN", "09:00-21:00"],
    ["NM", "09:00-21:00"],
  ].map(
    ([state = "", hours = ""]): StateCallingRule => ({
      state,
      hours: every(hours),
      noLegalHolidays: false,
      rollingCap: null,
      effectiveFrom: "2003-01-01",
      source: "vendor tables (compliance.md)",
    }),
  ),
]);

/** Each state's rows, the latest `effectiveFrom` first. */
const STATE_RULES_BY_STATE: ReadonlyMap<string, readonly StateCallingRule[]> = (() => {
  const byState = new Map<string, StateCallingRule[]>();
  for (const rule of STATE_CALLING_RULES) byState.set(rule.state, [...(byState.get(rule.state) ?? []), rule]);
  for (const rows of byState.values()) rows.sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));
  return byState;
})();

/** The row of `state` in force on `day` (YYYY-MM-DD), or undefined when the state has none then. */
export function stateRuleOn(state: string, day: string): StateCallingRule | undefined {
  return STATE_RULES_BY_STATE.get(state)?.find((rule) => rule.effectiveFrom <= day);
}
