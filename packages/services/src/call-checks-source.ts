import { type Db, findMedianCallSeconds } from "@redial/db";
import { type CallCheckSettings, type CallChecks, callChecksFor, defaultCallChecks } from "@redial/domain";
import type { CallChecksSource, RedialContext } from "./context.ts";

/** Recent calls: the last day's. */
const RECENT_MS = 24 * 3600_000;

/**
 * The checks of open calls (call-checks.ts) with the expected call made of the median of recent
 * calls, re-read every `refreshMs` (default 5 min) in the background: `get()` never waits on the
 * database (it may be called inside a transaction). Until the first read, the floor is expected.
 */
export function databaseCallChecks(
  db: Db,
  settings: CallCheckSettings,
  now: () => Date,
  options: { refreshMs?: number } = {},
): CallChecksSource & { refresh(): Promise<CallChecks>; stop(): void } {
  let current = callChecksFor(settings, null);
  const refresh = async () => {
    const median = await findMedianCallSeconds(db, new Date(now().getTime() - RECENT_MS));
    current = callChecksFor(settings, median);
    return current;
  };
  void refresh().catch(() => undefined);
  const timer = setInterval(() => void refresh().catch(() => undefined), options.refreshMs ?? 300_000);
  timer.unref();
  return { get: async () => current, refresh, stop: () => clearInterval(timer) };
}

/** The same checks always (tests, tools). */
export function fixedCallChecks(checks: CallChecks): CallChecksSource {
  return { get: async () => checks };
}

/** The context's checks; without a source, the defaults for its deadline (defaultCallChecks). */
export function callChecksOf(
  ctx: Pick<RedialContext, "callChecks" | "reconcileAfterMs">,
): Promise<CallChecks> {
  return ctx.callChecks?.get() ?? Promise.resolve(defaultCallChecks(ctx.reconcileAfterMs));
}
