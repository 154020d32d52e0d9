/**
 * @redial/domain — the redial rules: outcomes, lead lifecycle, cadence, caps and legal calling windows.
 * Pure functions, no I/O: every rule takes `now` (and the zones) as arguments.
 *
 * GLOSSARY (for engineers and compliance officers alike)
 * - Lead: one person/phone number we may call, with its status (active, daily_max_reached, paused,
 *   completed), its candidate timezones and applicable states (see "Where a lead may be").
 * - Attempt: one dial of a lead: when it was dialed and when it ended (no end = still in progress;
 *   a lead is never dialed while a call to it is in progress).
 * - Outcome: what a call ended with, normalized from Bland's call object: SALE, DNC, TRANSFERRED,
 *   CALLBACK, VOICEMAIL, NO_ANSWER, BUSY, NOT_INTERESTED, FAILED, UNKNOWN. Only SALE and DNC end
 *   redialing. A spoken opt-out ("stop calling me") is DNC. Precedence table: README.md.
 * - Outcome reason: the field and the value or phrase that decided an outcome
 *   (`transcript: "take me off your list"`), stored with the attempt.
 * - Answered: answered_by = "human" AND the call lasted ≥ answeredMinSeconds (default 20). One definition.
 * - Campaign day: a calendar date in the CAMPAIGN's timezone (default America/New_York); daily caps
 *   count calls per campaign day.
 * - Window (effective calling window): when a lead may legally be called: campaign hours and days in
 *   the campaign zone ∩ federal 08:00–21:00 in EVERY candidate zone of the lead ∩ every applicable
 *   state's hours and days (data/state-calling-rules.ts), minus campaign blackout dates, US federal
 *   holidays and state legal holidays where the state forbids calls. A lead with no known zone gets
 *   the safe window (Eastern..Pacific: 11:00–21:00 Eastern at most).
 * - Cap: a limit on the number of calls: per campaign day (maxPerDay, default 8), per rolling 24 h
 *   in FL, OK, MD (3), and optionally per lifetime (maxTotalAttempts).
 * - Cadence: the k-th call of the day waits intervals[k-1] minutes after the previous call ENDED
 *   (default [0,2,5,10,30,60,120], last entry repeating), never less than minGapMinutes (default 2).
 *   'restart_daily' (default): each campaign day starts over at k = 1; 'continue': k never resets.
 * - Callback: a time the person asked to be called at; the next call is then, moved to the next
 *   legal instant, caps still applying. A callback time in the past is ignored (normal cadence).
 * - Bad number: a FAILED call whose error says not in service / invalid / disconnected: no dial
 *   until badNumberUntil (badNumberCooldownDays, default 15).
 * - Consent: what the person agreed to (written / express / none), when, where, how proven; a
 *   lead's history of grants and revocations is kept whole, its current consent is the strongest
 *   grant given after its last revocation. A dial needs `policy.consentRequired` (default written).
 * - Evidence: what one dial was decided on (zones and local times, states and rule-table versions,
 *   the window, the caps counted, the consent relied on, the DNC checks), stored with the attempt.
 *
 * PUBLIC API
 * - Outcomes: Outcome, OUTCOMES, FinalOutcome, LeadStatus, endsRedialing(outcome)
 * - normalizeOutcome(callResult, {answeredMinSeconds, callbackZone, now}) → NormalizedOutcome (outcome,
 *   reason: the field or phrase that decided); isAnswered(...); hasCallEnded(call)
 * - findOptOutPhrase(text) → the opt-out as said, or null (data/opt-out-phrases.ts, English + Spanish)
 * - RedialPolicy, DEFAULT_REDIAL_POLICY, parseIntervals(text)
 * - schedulerConfigSchema (zod), SchedulerConfig, DEFAULT_SCHEDULER_CONFIG, campaignDay(now, config)
 * - normalizePhone(text) → E.164 | null; leadLocation({phone, state, zip, zipTimezone, zipState})
 * - decideNextDial({lead, attempts, policy, calendar, now}) → dial_now | wait{at, reason, detail}
 *   | in_progress{since} | never{reason, detail}; historyStart(now): load attempts from there on
 * - effectiveWindows(day, lead, calendar), callingMinutesOnDay(day, lead, calendar),
 *   nextLegalInstant(from, lead, calendar), isWithinCallingWindow(at, lead, calendar)
 * - planDial({facts, now, policy, calendar, checks}) → DialPlan: dial (attempt number,
 *   campaign day, schedule while the call runs) | wait {schedule} | reconcile the open call |
 *   complete_dnc | not_dialable; planSchedule(...) → LeadSchedule (intake, resume, heal);
 *   newLeadFacts({timezones, states, consent}): a lead not yet stored, for planSchedule (bulk intake)
 * - planResult({facts, attempt, call, …}) → ResultPlan: the attempt's result columns, the lead's
 *   change (complete | schedule | keep), DNC list, Convoso sync; bindCall(call, found) → which
 *   attempt a Bland result belongs to; callIdOf, attemptIdOf, callFacts
 * - completionBy(lead, SALE|DNC): the first final outcome stands (one place for that precedence)
 * - CallChecks: when an open call is asked about at Bland (a dial without its call id after
 *   settleAfterMs; a placed call at its expected length, then at growing gaps, by the deadline):
 *   callChecksFor(settings, medianCallSeconds), isCallCheckDue, nextCallCheck, latestSendFor
 * - LeadSchedule, scheduleFor(lead, decision, …), isRedialing(status), dialJobDelaySeconds;
 *   DialLimits, fleetLimitSchedule(limit, …) for a dial over a fleet limit
 * - Consent, ConsentType, checkConsent(consent, required, now), meetsRequirement(type, required),
 *   firstGrantOnRecord(consent): the current consent a new lead's first grant gives
 * - dialEvidence({...decideNextDial's input, where, consent, dncChecks}) → DialEvidence (JSON)
 * - Rule tables' versions: STATE_RULES_TABLE, HOLIDAY_CALENDAR_TABLE; stateRuleOn(state, day)
 * - Named errors (DomainError.code): InvalidIntervalsError, NoCallingWindowError, InvalidDayError,
 *   DecisionDidNotSettleError
 * Configs and snapshots are treated as immutable: compiled per config object and cached.
 */

export { type AttemptRef, bindCall, type CallBinding } from "./call-binding.ts";
export {
  type CallCheckSettings,
  type CallChecks,
  callChecksFor,
  defaultCallChecks,
  firstCallCheck,
  isCallCheckDue,
  isCallPastGivingUp,
  latestSendFor,
  nextCallCheck,
  type OpenCall,
} from "./call-checks.ts";
export {
  type AttemptResult,
  type AttemptState,
  attemptIdOf,
  attemptResult,
  type BlandCall,
  type CallFacts,
  callbackZoneOf,
  callFacts,
  callIdOf,
} from "./call-facts.ts";
export {
  type CallResult,
  callDurationSeconds,
  hasCallEnded,
  isAnswered,
  type TranscriptTurn,
} from "./call-result.ts";
export { type CallbackTime, callbackTimeOf } from "./callback-time.ts";
export {
  type ClosedReason,
  callingMinutesOnDay,
  type DayWindows,
  effectiveWindows,
  FEDERAL_HOURS,
  isWithinCallingWindow,
  type LeadWhere,
  nextLegalInstant,
  SAFE_TIMEZONES,
  SEARCH_HORIZON_DAYS,
} from "./calling-window.ts";
export {
  CONSENT_TYPES,
  type Consent,
  type ConsentCheck,
  type ConsentHistoryEntry,
  type ConsentOnRecord,
  type ConsentRequirement,
  type ConsentSnapshot,
  type ConsentType,
  checkConsent,
  firstGrantOnRecord,
  meetsRequirement,
} from "./consent.ts";
export { AREA_CODES, type AreaCodeInfo } from "./data/area-codes.ts";
export {
  type RuleTableVersion,
  STATE_CALLING_RULES,
  STATE_RULES_TABLE,
  STATE_RULES_VERSION,
  type StateCallingRule,
  stateRuleOn,
} from "./data/state-calling-rules.ts";
export { STATE_TIMEZONES, ZONES } from "./data/timezones.ts";
export type {
  AttemptSnapshot,
  DialDecision,
  LeadSnapshot,
  NeverReason,
  WaitReason,
} from "./dial-decision.ts";
export { WAIT_REASONS } from "./dial-decision.ts";
export { type DialEvidence, type DialEvidenceInput, type DncCheck, dialEvidence } from "./dial-evidence.ts";
export {
  type DialPlan,
  type LeadFacts,
  newLeadFacts,
  type PlanDialInput,
  planDial,
  planSchedule,
} from "./dial-plan.ts";
export {
  DecisionDidNotSettleError,
  DomainError,
  type DomainErrorCode,
  InvalidDayError,
  InvalidIntervalsError,
  NoCallingWindowError,
} from "./errors.ts";
export {
  CONCURRENT_LIMIT_RETRY_MS,
  campaignDayStart,
  type DialLimits,
  type FleetLimit,
  fleetLimitSchedule,
} from "./fleet-limits.ts";
export { HOLIDAY_CALENDAR_TABLE } from "./holidays.ts";
export { type Completion, completionBy } from "./lead-completion.ts";
export { type LeadLocation, type LeadLocationInput, leadLocation } from "./lead-location.ts";
export {
  callCheckSchedule,
  completedSchedule,
  dialJobDelaySeconds,
  isRedialing,
  type LeadSchedule,
  notPlacedSchedule,
  REDIALING_STATUSES,
  scheduleFor,
} from "./lead-schedule.ts";
export { type DecideNextDialInput, decideNextDial, historyStart } from "./next-dial.ts";
export { type NormalizedOutcome, normalizeOutcome, type OutcomeRules } from "./normalize-outcome.ts";
export { findOptOut, isOptOutFlag, type OptOutFinding } from "./opt-out-signal.ts";
export {
  assertNever,
  endsRedialing,
  type FinalOutcome,
  isOutcome,
  LEAD_STATUSES,
  type LeadStatus,
  OUTCOMES,
  type Outcome,
} from "./outcome.ts";
export { isBadNumberLabel, isBadNumberText, isOptOutLabel, outcomeOfLabel } from "./outcome-labels.ts";
export { areaCodeOf, maskPhone, normalizePhone } from "./phone.ts";
export {
  DEFAULT_REDIAL_POLICY,
  intervalBeforeCall,
  parseIntervals,
  type RedialPolicy,
} from "./redial-policy.ts";
export {
  type LeadResultChange,
  type PlanResultInput,
  planResult,
  type ResultPlan,
} from "./result-plan.ts";
export {
  campaignDay,
  DEFAULT_SCHEDULER_CONFIG,
  type SchedulerConfig,
  type SchedulerConfigInput,
  schedulerConfigSchema,
} from "./scheduler-config.ts";
export { findOptOutPhrase } from "./spoken-opt-out.ts";
export type { TimeSpan } from "./time-spans.ts";
