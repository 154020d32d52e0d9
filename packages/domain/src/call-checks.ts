/**
 * When a call without its result is asked about at Bland. Two kinds of open call:
 * - a dial without Bland's call id (POST /v1/calls answered 5xx or timed out, or its worker died
 *   after writing the attempt): asked `settleAfterMs` after it was written — placed ⇒ bound to
 *   Bland's call, not placed ⇒ given back;
 * - a placed call whose webhook has not come: first polled at its expected length (twice the
 *   median of recent calls, floored), then at growing gaps (1, 2, 4, 8 min …), and at the hard
 *   deadline (Bland's max duration plus a margin) at the latest.
 * The times follow from the dial's time and `now` alone: nothing counts the polls.
 */
export interface CallChecks {
  /** A dial without Bland's call id is asked about this long after it was written. */
  settleAfterMs: number;
  /** A placed call is first polled this long after it was dialed. */
  expectedCallMs: number;
  /** The gap after the first poll; each later gap doubles. */
  pollGapMs: number;
  /** Bland's max duration plus a margin: no call is left unasked past it. */
  deadlineMs: number;
}

/** The settings the checks are made of (CallChecks once the median call is known). */
export interface CallCheckSettings {
  settleAfterMs: number;
  /** The expected call is this many times the median of recent calls… */
  expectedFactor: number;
  /** …and never shorter than this (no recent calls, or only short ones). */
  expectedFloorMs: number;
  pollGapMs: number;
  deadlineMs: number;
}

/** The checks for a median call of `medianCallSeconds` (null: no recent call ended). */
export function callChecksFor(settings: CallCheckSettings, medianCallSeconds: number | null): CallChecks {
  const byMedian = medianCallSeconds === null ? 0 : medianCallSeconds * 1000 * settings.expectedFactor;
  return {
    settleAfterMs: Math.min(settings.settleAfterMs, settings.deadlineMs),
    expectedCallMs: Math.round(Math.min(settings.deadlineMs, Math.max(settings.expectedFloorMs, byMedian))),
    pollGapMs: Math.max(1, settings.pollGapMs),
    deadlineMs: settings.deadlineMs,
  };
}

/** Checks when only the hard deadline is known: settled after 45 s, polled from 2 min, gaps from 1 min. */
export function defaultCallChecks(deadlineMs: number): CallChecks {
  return callChecksFor(
    { settleAfterMs: 45_000, expectedFactor: 2, expectedFloorMs: 120_000, pollGapMs: 60_000, deadlineMs },
    null,
  );
}

/** An open call as the checks read it: when it was dialed, and whether Bland gave its call id. */
export interface OpenCall {
  dialedAt: Date;
  placed: boolean;
}

/** The first time the call is asked about. */
export function firstCallCheck(call: OpenCall, checks: CallChecks): Date {
  const after = call.placed ? checks.expectedCallMs : checks.settleAfterMs;
  return new Date(call.dialedAt.getTime() + Math.min(after, checks.deadlineMs));
}

/** Whether the call is to be asked about now (its first check has come). */
export function isCallCheckDue(call: OpenCall, now: Date, checks: CallChecks): boolean {
  return now.getTime() >= firstCallCheck(call, checks).getTime();
}

/**
 * When the call is asked about next, after `now`: its first check, then first + gap·(2^k − 1) for
 * k = 1, 2, … (1, 2, 4, 8 min … after it), the hard deadline if it falls between two of them.
 */
export function nextCallCheck(call: OpenCall, now: Date, checks: CallChecks): Date {
  const first = firstCallCheck(call, checks).getTime();
  const t = now.getTime();
  if (t < first) return new Date(first);
  const deadline = call.dialedAt.getTime() + checks.deadlineMs;
  let gaps = 1;
  while (first + checks.pollGapMs * gaps <= t) gaps = gaps * 2 + 1;
  const next = first + checks.pollGapMs * gaps;
  return new Date(t < deadline && next > deadline ? deadline : next);
}

/** A call Bland reports still running this many deadlines after its dial is taken as ended. */
const STILL_RUNNING_GIVE_UP = 4;

/**
 * Bland ends a call at its max duration: one still "running" long after its deadline has a status
 * we do not read as ended, and is recorded as ended with what Bland says of it (so neither its
 * lead nor a DIAL_MAX_CONCURRENT slot waits on it for ever).
 */
export function isCallPastGivingUp(call: OpenCall, now: Date, checks: CallChecks): boolean {
  return now.getTime() - call.dialedAt.getTime() > STILL_RUNNING_GIVE_UP * checks.deadlineMs;
}

/**
 * The latest a dial's request may leave for Bland: half its settle time after it was written. A
 * request later than that (a long wait for the rate limiter) is not sent and the dial is given
 * back, so the check that may give it back never races a request still on its way.
 */
export function latestSendFor(dialedAt: Date, checks: CallChecks): Date {
  return new Date(dialedAt.getTime() + Math.floor(checks.settleAfterMs / 2));
}
