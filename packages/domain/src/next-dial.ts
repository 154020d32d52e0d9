import { type ClosedReason, nextOpenInstantCompiled, SAFE_TIMEZONES, whereKeyOf } from "./calling-window.ts";
import {
  applicableStateRules,
  type CompiledCalendar,
  campaignDayOf,
  compileCalendar,
  nextCampaignDayStart,
} from "./compiled-calendar.ts";
import { checkConsent } from "./consent.ts";
import type { AttemptSnapshot, DialDecision, LeadSnapshot, WaitReason } from "./dial-decision.ts";
import { DecisionDidNotSettleError, NoCallingWindowError } from "./errors.ts";
import { formatInstant, formatInZones } from "./format-instant.ts";
import { assertNever } from "./outcome.ts";
import { intervalBeforeCall, type RedialPolicy } from "./redial-policy.ts";
import type { SchedulerConfig } from "./scheduler-config.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** A lead with no legal instant in the search horizon is looked at again after this long. */
const NO_WINDOW_RETRY_MS = 24 * HOUR;
/**
 * A lead without the consent a dial needs is looked at again after this long (a consent recorded
 * through intake reschedules it at once; this only catches a lowered CONSENT_REQUIRED).
 */
const NO_CONSENT_RETRY_MS = 24 * HOUR;
/** Attempts older than this never matter: rolling caps look back 24 h, a campaign day lasts ≤ 25 h. */
const HISTORY_MS = 48 * HOUR;
const MAX_STEPS = 2_000;

export interface DecideNextDialInput {
  lead: LeadSnapshot;
  /** at least every attempt with dialedAt >= historyStart(now) */
  attempts: readonly AttemptSnapshot[];
  policy: RedialPolicy;
  calendar: SchedulerConfig;
  now: Date;
}

/** How far back callers must load attempts for decideNextDial (now − 48 h). */
export function historyStart(now: Date): Date {
  return new Date(now.getTime() - HISTORY_MS);
}

/** Why the current candidate instant is what it is, for the `detail` text. */
interface Binding {
  reason: WaitReason;
  closedBy?: string | null;
  state?: string;
  limit?: string;
  intervalMinutes?: number;
}

interface Search {
  input: DecideNextDialInput;
  calendar: CompiledCalendar;
  /** dialedAt of every attempt, ascending (ms) */
  dials: number[];
  /** campaign day of each entry of `dials` */
  dialDays: string[];
  /** cache key of the lead's location */
  whereKey: string;
  /** end of the latest attempt (ms), or null when the lead was never dialed */
  lastEnd: number | null;
  at: number;
  binding: Binding | null;
}

/**
 * May the lead be dialed now? If not, the EARLIEST instant ≥ now satisfying every rule, and why.
 * Order: lifecycle (completed/paused) → call in progress → lifetime cap → consent → fixed lower bounds (bad
 * number, minimum gap) → repeated until nothing moves: legal window, daily max, state rolling caps,
 * callback time or cadence interval. Each rule only moves the candidate later, so the loop ends.
 */
export function decideNextDial(input: DecideNextDialInput): DialDecision {
  const stop = lifecycleDecision(input);
  if (stop) return stop;
  const search = startSearch(input);
  for (let step = 0; step < MAX_STEPS; step++) {
    try {
      if (!advance(search)) return finish(search);
    } catch (error) {
      if (!(error instanceof NoCallingWindowError)) throw error;
      // No legal instant within the search horizon (campaign hours that miss every hour one of
      // the lead's zones allows): the lead stays active and is looked at again in a day, when a
      // calendar change may have opened one. Never an error: a webhook or a heal sweep must not
      // fail on such a lead.
      return {
        kind: "wait",
        at: new Date(input.now.getTime() + NO_WINDOW_RETRY_MS),
        reason: "no_calling_window",
        detail: error.message,
      };
    }
  }
  throw new DecisionDidNotSettleError(
    `decideNextDial did not settle after ${MAX_STEPS} steps at ${new Date(search.at).toISOString()}: report this with the lead's snapshot.`,
  );
}

function lifecycleDecision(input: DecideNextDialInput): DialDecision | null {
  const { lead, attempts, policy } = input;
  if (lead.finalOutcome !== null) {
    return {
      kind: "never",
      reason: "completed",
      detail: `completed with ${lead.finalOutcome}: never dialed again`,
    };
  }
  switch (lead.status) {
    case "completed":
      return { kind: "never", reason: "completed", detail: "lead is completed: never dialed again" };
    case "paused":
      return {
        kind: "never",
        reason: "paused",
        detail: "lead is paused by an operator: resume it to redial",
      };
    case "active":
    case "daily_max_reached":
      break;
    default:
      return assertNever(lead.status);
  }
  const running = attempts
    .filter((a) => a.endedAt === null)
    .sort((a, b) => b.dialedAt.getTime() - a.dialedAt.getTime());
  if (running[0]) return { kind: "in_progress", since: running[0].dialedAt };
  if (policy.maxTotalAttempts !== null && lead.attemptsTotal >= policy.maxTotalAttempts) {
    return {
      kind: "never",
      reason: "max_total_attempts",
      detail: `${lead.attemptsTotal} attempts reached the lifetime cap of ${policy.maxTotalAttempts}`,
    };
  }
  return consentDecision(input);
}

/** Without the consent CONSENT_REQUIRED asks for, no dial: the lead waits (its job stays, a day away). */
function consentDecision({ lead, policy, calendar, now }: DecideNextDialInput): DialDecision | null {
  const check = checkConsent(lead.consent, policy.consentRequired, now);
  if (check.ok) return null;
  const at = check.reason === "not_yet" ? check.validFrom.getTime() : now.getTime() + NO_CONSENT_RETRY_MS;
  return {
    kind: "wait",
    at: new Date(at),
    reason: "no_consent",
    detail: `${check.detail}; looked at again ${formatInstant(at, calendar.timezone)}`,
  };
}

function startSearch(input: DecideNextDialInput): Search {
  const { lead, attempts, policy, now } = input;
  const dials = attempts.map((a) => a.dialedAt.getTime()).sort((a, b) => a - b);
  let lastEnd: number | null = null;
  for (const a of attempts) lastEnd = Math.max(lastEnd ?? -Infinity, (a.endedAt ?? a.dialedAt).getTime());
  const calendar = compileCalendar(input.calendar);
  const dialDays = dials.map((ms) => campaignDayOf(calendar, ms));
  const whereKey = whereKeyOf(lead);
  const search: Search = {
    input,
    calendar,
    dials,
    dialDays,
    whereKey,
    lastEnd,
    at: now.getTime(),
    binding: null,
  };
  if (lead.badNumberUntil) raise(search, lead.badNumberUntil.getTime(), { reason: "bad_number" });
  if (lastEnd !== null) raise(search, lastEnd + policy.minGapMinutes * MINUTE, { reason: "min_gap" });
  return search;
}

function raise(search: Search, instant: number, binding: Binding): boolean {
  // Fractional minutes make fractional milliseconds; a Date keeps whole ones, so round up (never
  // early) — otherwise the answered instant, asked again, would still be a few µs too soon.
  const at = Math.ceil(instant);
  if (at <= search.at) return false;
  search.at = at;
  search.binding = binding;
  return true;
}

/** One pass over the moving rules; true when the candidate instant moved. */
function advance(search: Search): boolean {
  const where = search.input.lead;
  const open = nextOpenInstantCompiled(search.calendar, search.at, where, search.whereKey);
  if (open.reason !== null)
    return raise(search, open.at, windowBinding(search.binding, open.reason, open.closedBy));
  const day = campaignDayOf(search.calendar, search.at);
  let today = 0;
  for (const dialDay of search.dialDays) if (dialDay === day) today++;
  const { policy, lead } = search.input;
  if (today >= policy.maxPerDay) {
    const limit = `${today}/${policy.maxPerDay} calls on campaign day ${day}`;
    return raise(search, nextCampaignDayStart(search.calendar, day), { reason: "daily_max_reached", limit });
  }
  if (applyRollingCaps(search, day)) return true;
  const callbackAt = lead.callbackAt?.getTime() ?? null;
  if (callbackAt !== null && isPendingCallback(callbackAt, search.lastEnd)) {
    return raise(search, callbackAt, { reason: "callback" }); // replaces the cadence; caps and windows still apply
  }
  if (search.lastEnd === null) return false;
  const counted =
    policy.cadence === "restart_daily" ? today : Math.max(lead.attemptsTotal, search.dials.length);
  const minutes = intervalBeforeCall(policy.intervalsMinutes, counted + 1);
  const due = Math.ceil(search.lastEnd + minutes * MINUTE);
  // When the cadence and the minimum gap end at the same instant, the cadence is the better explanation.
  if (due === search.at && search.binding?.reason === "min_gap")
    search.binding = { reason: "interval", intervalMinutes: minutes };
  return raise(search, due, { reason: "interval", intervalMinutes: minutes });
}

/** Reasons that stay the headline when the window then pushes the instant further (the window is noted). */
const CAUSES: ReadonlySet<WaitReason> = new Set([
  "daily_max_reached",
  "state_rolling_cap",
  "bad_number",
  "callback",
]);

function windowBinding(previous: Binding | null, reason: ClosedReason, closedBy: string | null): Binding {
  if (previous && CAUSES.has(previous.reason))
    return { ...previous, closedBy: closedBy ?? reason.replaceAll("_", " ") };
  return { reason, closedBy };
}

/**
 * A callback is honoured when it falls after the lead's last call ended (in the future, or due and
 * not yet served). One at or before the last call's end is ignored: the cadence applies. Whether
 * it is pending never depends on `now` (a callback set for the very instant the last call ended
 * would otherwise be honoured now and ignored a moment later, so the instant answered now would
 * not be "dial now" when asked again then).
 */
function isPendingCallback(callbackAt: number, lastEnd: number | null): boolean {
  return lastEnd === null || callbackAt > lastEnd;
}

/** Each applicable state's "N calls per rolling H hours": wait until the oldest counted call ages out. */
function applyRollingCaps(search: Search, day: string): boolean {
  for (const rule of applicableStateRules(search.calendar, search.input.lead.states, day)) {
    if (!rule.rollingCap) continue;
    const { calls, hours } = rule.rollingCap;
    const windowMs = hours * HOUR;
    const recent = search.dials.filter((ms) => ms > search.at - windowMs);
    if (recent.length < calls) continue;
    const release = recent[recent.length - calls]! + windowMs;
    return raise(search, release, {
      reason: "state_rolling_cap",
      state: rule.state,
      limit: `${calls}/${hours}h`,
    });
  }
  return false;
}

function finish(search: Search): DialDecision {
  const { now, lead, calendar } = search.input;
  if (search.at <= now.getTime() || search.binding === null) return { kind: "dial_now" };
  const zones = lead.timezones.length > 0 ? lead.timezones : SAFE_TIMEZONES;
  const when = `${formatInstant(search.at, calendar.timezone)} (lead local ${formatInZones(search.at, zones)})`;
  return {
    kind: "wait",
    at: new Date(search.at),
    reason: search.binding.reason,
    detail: describe(search.binding, when),
  };
}

function describe(binding: Binding, when: string): string {
  const text = headline(binding, when);
  return CAUSES.has(binding.reason) && binding.closedBy
    ? `${text}; moved to the next legal instant (${binding.closedBy})`
    : text;
}

function headline(binding: Binding, when: string): string {
  switch (binding.reason) {
    case "interval":
      return `cadence: ${binding.intervalMinutes} min after the previous call ended, until ${when}`;
    case "min_gap":
      return `minimum gap after the previous call, until ${when}`;
    case "outside_window":
      return `outside the calling window until ${when}${binding.closedBy ? ` (${binding.closedBy})` : ""}`;
    case "not_a_calling_day":
    case "holiday":
      return `${binding.closedBy ?? "not a calling day"}: next window opens ${when}`;
    case "daily_max_reached":
      return `daily max reached (${binding.limit}): next calling day opens ${when}`;
    case "state_rolling_cap":
      return `${binding.state} ${binding.limit} cap until ${when}`;
    case "bad_number":
      return `number marked bad (not in service / invalid / disconnected) until ${when}`;
    case "callback":
      return `callback requested for ${when}`;
    case "no_calling_window":
      return `no calling window: looked at again ${when}`;
    case "no_consent":
      return `no consent on record: looked at again ${when}`;
    default:
      return assertNever(binding.reason);
  }
}
