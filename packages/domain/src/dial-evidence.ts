import { DateTime } from "luxon";
import { dayWindowsCompiled, FEDERAL_HOURS, SAFE_TIMEZONES } from "./calling-window.ts";
import { applicableStateRules, campaignDayOf, compileCalendar } from "./compiled-calendar.ts";
import type { ConsentOnRecord } from "./consent.ts";
import {
  type RuleTableVersion,
  STATE_RULES_TABLE,
  type StateCallingRule,
  stateRuleOn,
} from "./data/state-calling-rules.ts";
import { formatInstant, formatInZones } from "./format-instant.ts";
import { HOLIDAY_CALENDAR_TABLE } from "./holidays.ts";
import type { DecideNextDialInput } from "./next-dial.ts";

const HOUR = 3_600_000;

/** One do-not-call check made before a dial: our own list, Convoso's (CONVOSO_PREDIAL_CHECK). */
export interface DncCheck {
  list: "internal" | "convoso";
  checkedAt: Date;
  /** null: the check failed (the dial went ahead on our own list, as configured) */
  listed: boolean | null;
  detail: string;
}

export interface DialEvidenceInput extends DecideNextDialInput {
  /** What the lead's zones and states were computed from. */
  where: { phone: string; state: string | null; zip: string | null };
  /** The consent on record the dial relied on (the lead's current consent, in full). */
  consent: ConsentOnRecord | null;
  dncChecks: readonly DncCheck[];
}

/** What one dial was decided on, as stored with its attempt and exported (JSON, snake_case). */
export interface DialEvidence {
  format: "redial-dial-evidence/1";
  decided_at: string;
  decision: { kind: "dial_now"; text: string };
  lead: {
    phone: string;
    stated_state: string | null;
    zip: string | null;
    /** true: no usable zone, the safe window's zones were assumed */
    zones_assumed: boolean;
    zones: { zone: string; local_time: string }[];
    states: string[];
  };
  rule_tables: { table: string; version: string; effective_from: string }[];
  states: {
    state: string;
    applied: boolean;
    /** why a state's row was not applied (null when it was) */
    not_applied_because: string | null;
    rule: {
      hours_sunday_to_saturday: (string | null)[];
      no_legal_holidays: boolean;
      rolling_cap: { calls: number; hours: number } | null;
      effective_from: string;
      source: string;
    } | null;
  }[];
  window: {
    federal_hours: string;
    campaign: {
      timezone: string;
      local_time: string;
      campaign_day: string;
      days: number[];
      start_time: string;
      end_time: string;
      federal_holidays_off: boolean;
      holidays_called_anyway: string[];
      state_rules_enabled: boolean;
      states_disabled: string[];
    };
    /** the effective window (every zone, every state row, the campaign hours) now is inside */
    open_from: string | null;
    open_until: string | null;
  };
  caps: {
    campaign_day: string;
    calls_today_before: number;
    max_per_day: number;
    rolling: { state: string; calls_before: number; limit: number; hours: number; counted_since: string }[];
    attempts_before: number;
    max_total_attempts: number | null;
    previous_call_ended_at: string | null;
    min_gap_minutes: number;
  };
  consent: {
    required: string;
    relied_on: {
      id: number;
      type: string;
      captured_at: string | null;
      source: string | null;
      ip: string | null;
      text_version: string | null;
      certificate_id: string | null;
      recorded_at: string;
      recorded_by: string;
    } | null;
  };
  dnc_checks: { list: string; checked_at: string; listed: boolean | null; detail: string }[];
}

const iso = (ms: number | Date) => new Date(ms).toISOString();

/**
 * The evidence of a dial decided `dial_now` from `input` (the same facts the engine was given):
 * the lead's zones and the local time in each, the states and the rule rows applied with the
 * rule tables' versions, the effective window now is inside, the caps as counted before this call,
 * the consent relied on and the DNC checks made, and a sentence saying all of it.
 */
export function dialEvidence(input: DialEvidenceInput): DialEvidence {
  const calendar = compileCalendar(input.calendar);
  const now = input.now.getTime();
  const day = campaignDayOf(calendar, now);
  const zones = input.lead.timezones.length > 0 ? input.lead.timezones : SAFE_TIMEZONES;
  const windows = dayWindowsCompiled(calendar, day, input.lead);
  const open = windows.intervals.find((iv) => iv.start <= now && now < iv.end) ?? null;
  const evidence: Omit<DialEvidence, "decision"> = {
    format: "redial-dial-evidence/1",
    decided_at: iso(now),
    lead: {
      phone: input.where.phone,
      stated_state: input.where.state,
      zip: input.where.zip,
      zones_assumed: input.lead.timezones.length === 0,
      zones: zones.map((zone) => ({ zone, local_time: localTime(now, zone) })),
      states: [...input.lead.states],
    },
    rule_tables: [STATE_RULES_TABLE, HOLIDAY_CALENDAR_TABLE].map(tableVersion),
    states: input.lead.states.map((state) => stateEvidence(input, state, day)),
    window: {
      federal_hours: `${hhmm(FEDERAL_HOURS.start)}-${hhmm(FEDERAL_HOURS.end)} in every zone`,
      campaign: campaignEvidence(input, now, day),
      open_from: open ? iso(open.start) : null,
      open_until: open ? iso(open.end) : null,
    },
    caps: capsEvidence(input, day),
    consent: { required: input.policy.consentRequired, relied_on: consentEvidence(input.consent) },
    dnc_checks: input.dncChecks.map((check) => ({
      list: check.list,
      checked_at: iso(check.checkedAt),
      listed: check.listed,
      detail: check.detail,
    })),
  };
  return { ...evidence, decision: { kind: "dial_now", text: decisionText(input, evidence, zones) } };
}

function tableVersion(table: RuleTableVersion) {
  return { table: table.table, version: table.version, effective_from: table.effectiveFrom };
}

function localTime(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) ?? iso(ms);
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

function stateEvidence(input: DialEvidenceInput, state: string, day: string): DialEvidence["states"][number] {
  const row = stateRuleOn(state, day);
  const switches = input.calendar.compliance.states;
  const notApplied = !row
    ? `no row of the table in force on ${day} (federal law only)`
    : !switches.enabled
      ? "state rules switched off in the campaign's compliance settings"
      : switches.disabled.includes(state)
        ? "disabled in the campaign's compliance settings"
        : null;
  return {
    state,
    applied: notApplied === null,
    not_applied_because: notApplied,
    rule: row ? ruleEvidence(row) : null,
  };
}

function ruleEvidence(row: StateCallingRule) {
  return {
    hours_sunday_to_saturday: [...row.hours],
    no_legal_holidays: row.noLegalHolidays,
    rolling_cap: row.rollingCap ? { ...row.rollingCap } : null,
    effective_from: row.effectiveFrom,
    source: row.source,
  };
}

function campaignEvidence(input: DialEvidenceInput, now: number, day: string) {
  const { calendar } = input;
  return {
    timezone: calendar.timezone,
    local_time: localTime(now, calendar.timezone),
    campaign_day: day,
    days: [...calendar.schedule.days],
    start_time: calendar.schedule.startTime,
    end_time: calendar.schedule.endTime,
    federal_holidays_off: calendar.holidays.enabled,
    holidays_called_anyway: [...calendar.holidays.except],
    state_rules_enabled: calendar.compliance.states.enabled,
    states_disabled: [...calendar.compliance.states.disabled],
  };
}

/** The caps as the engine counts them, before this call: today's calls, each state's rolling window. */
function capsEvidence(input: DialEvidenceInput, day: string): DialEvidence["caps"] {
  const calendar = compileCalendar(input.calendar);
  const now = input.now.getTime();
  const dials = input.attempts.map((a) => a.dialedAt.getTime());
  let lastEnd: number | null = null;
  for (const a of input.attempts)
    lastEnd = Math.max(lastEnd ?? -Infinity, (a.endedAt ?? a.dialedAt).getTime());
  const rolling = applicableStateRules(calendar, input.lead.states, day).flatMap((rule) => {
    if (!rule.rollingCap) return [];
    const since = now - rule.rollingCap.hours * HOUR;
    return [
      {
        state: rule.state,
        calls_before: dials.filter((ms) => ms > since).length,
        limit: rule.rollingCap.calls,
        hours: rule.rollingCap.hours,
        counted_since: iso(since),
      },
    ];
  });
  return {
    campaign_day: day,
    calls_today_before: dials.filter((ms) => campaignDayOf(calendar, ms) === day).length,
    max_per_day: input.policy.maxPerDay,
    rolling,
    attempts_before: input.lead.attemptsTotal,
    max_total_attempts: input.policy.maxTotalAttempts,
    previous_call_ended_at: lastEnd === null ? null : iso(lastEnd),
    min_gap_minutes: input.policy.minGapMinutes,
  };
}

function consentEvidence(consent: ConsentOnRecord | null): DialEvidence["consent"]["relied_on"] {
  if (!consent) return null;
  return {
    id: consent.id,
    type: consent.type,
    captured_at: consent.capturedAt ? iso(consent.capturedAt) : null,
    source: consent.source,
    ip: consent.ip,
    text_version: consent.textVersion,
    certificate_id: consent.certificateId,
    recorded_at: iso(consent.recordedAt),
    recorded_by: consent.recordedBy,
  };
}

/** The engine's decision as one sentence a compliance officer can read. */
function decisionText(
  input: DialEvidenceInput,
  evidence: Omit<DialEvidence, "decision">,
  zones: readonly string[],
): string {
  const now = input.now.getTime();
  const zone = input.calendar.timezone;
  const { caps, consent, window } = evidence;
  const parts = [
    `dial now at ${formatInstant(now, zone)} (lead local ${formatInZones(now, zones)})`,
    window.open_until
      ? `inside the calling window until ${formatInstant(Date.parse(window.open_until), zone)}`
      : "inside the calling window",
    `call ${caps.calls_today_before + 1} of ${caps.max_per_day} on campaign day ${caps.campaign_day}`,
    ...caps.rolling.map(
      (cap) => `${cap.state}: call ${cap.calls_before + 1} of ${cap.limit} in ${cap.hours} h`,
    ),
    consentText(consent),
    ...evidence.dnc_checks.map((check) => `${check.list} DNC check: ${check.detail}`),
  ];
  return parts.join("; ");
}

function consentText(consent: DialEvidence["consent"]): string {
  const on = consent.relied_on;
  if (!on) return `consent required: ${consent.required}, none on record`;
  const proof = on.certificate_id ? `, certificate ${on.certificate_id}` : "";
  return `${on.type} consent #${on.id} captured ${on.captured_at ?? "at an unknown time"}${proof} (required: ${consent.required})`;
}
