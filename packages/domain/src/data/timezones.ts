/** Short keys for the IANA zones the US tables below use. DST is computed at run time by luxon. */
export const ZONES = Object.freeze({
  E: "America/New_York",
  C: "America/Chicago",
  M: "America/Denver",
  /** Arizona: Mountain Standard Time all year, no DST (except the Navajo Nation, see area code 928). */
  AZ: "America/Phoenix",
  P: "America/Los_Angeles",
  AK: "America/Anchorage",
  /** Aleutian Islands west of 169°30′W (Hawaii–Aleutian time, with DST). */
  ADAK: "America/Adak",
  /** Hawaii: no DST. */
  HI: "Pacific/Honolulu",
  /** Puerto Rico and the US Virgin Islands: Atlantic Standard Time, no DST. */
  AST: "America/Puerto_Rico",
  /** Guam and the Northern Mariana Islands: Chamorro Standard Time (UTC+10), no DST. */
  CHST: "Pacific/Guam",
  /** American Samoa: Samoa Standard Time (UTC−11), no DST. */
  SST: "Pacific/Pago_Pago",
});

export type ZoneKey = keyof typeof ZONES;

/**
 * Every zone a person in the state (or US territory) may be in (compliance.md: "States that span
 * two zones"). Used when a lead has no ZIP zone. Snapshot 2026-11; verify before relying on a row.
 * The territories follow the federal rules (47 CFR 64.1200 applies there; no territory row in the
 * state rules table): 08:00–21:00 in their own zone.
 */
export const STATE_TIMEZONES: Readonly<Record<string, readonly ZoneKey[]>> = Object.freeze({
  AL: ["C"],
  AK: ["AK", "ADAK"],
  // The Navajo Nation keeps Mountain time with DST (America/Denver): an Arizona lead without a ZIP may live there.
  AZ: ["AZ", "M"],
  AR: ["C"],
  CA: ["P"],
  CO: ["M"],
  CT: ["E"],
  DC: ["E"],
  DE: ["E"],
  FL: ["E", "C"],
  GA: ["E"],
  HI: ["HI"],
  IA: ["C"],
  ID: ["M", "P"],
  IL: ["C"],
  IN: ["E", "C"],
  KS: ["C", "M"],
  KY: ["E", "C"],
  LA: ["C"],
  MA: ["E"],
  MD: ["E"],
  ME: ["E"],
  MI: ["E", "C"],
  MN: ["C"],
  MO: ["C"],
  MS: ["C"],
  MT: ["M"],
  NC: ["E"],
  ND: ["C", "M"],
  NE: ["C", "M"],
  NH: ["E"],
  NJ: ["E"],
  NM: ["M"],
  NV: ["P"],
  NY: ["E"],
  OH: ["E"],
  OK: ["C"],
  OR: ["P", "M"],
  PA: ["E"],
  RI: ["E"],
  SC: ["E"],
  SD: ["C", "M"],
  TN: ["E", "C"],
  TX: ["C", "M"],
  UT: ["M"],
  VA: ["E"],
  VT: ["E"],
  WA: ["P"],
  WI: ["C"],
  WV: ["E"],
  WY: ["M"],
  PR: ["AST"],
  VI: ["AST"],
  GU: ["CHST"],
  MP: ["CHST"],
  AS: ["SST"],
});
