/** Shared arithmetic and waits of the bench phases (no phase imports another). */
import { setTimeout as delay } from "node:timers/promises";
import type { RunningSystem } from "./loop.ts";

/** A phase is stuck when nothing progressed this long. */
const STALL_MS = 30_000;

/** Nearest-rank percentile of an ascending list (NaN when empty). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/**
 * Until `done()`. Throws when a dial job failed (the lead would wait for the heal sweep, minutes
 * later, and the numbers would mean nothing) or when nothing progressed for STALL_MS.
 */
export async function waitForProgress(
  done: () => Promise<boolean> | boolean,
  lastProgressAt: () => number,
  what: string,
  guard: { system: RunningSystem },
): Promise<void> {
  await waitUntil(
    async () => {
      if ((guard.system.tally.get("error") ?? 0) > 0) throw dialJobsFailed(guard.system);
      return done();
    },
    lastProgressAt,
    what,
  );
}

/** Until `done()`; throws when nothing progressed for STALL_MS. */
export async function waitUntil(
  done: () => Promise<boolean> | boolean,
  lastProgressAt: () => number,
  what: string,
): Promise<void> {
  while (!(await done())) {
    if (Date.now() - lastProgressAt() > STALL_MS)
      throw new Error(`No ${what} for ${STALL_MS / 1000} s: the loop is stuck (run with --log-level debug).`);
    await delay(10);
  }
}

function dialJobsFailed(system: RunningSystem): Error {
  return new Error(
    `${system.tally.get("error")} dial job(s) failed, e.g. "${system.firstError() ?? "unknown error"}": the measurement is void ` +
      "(a server out of connections? lower --workers, or use the embedded PostgreSQL by unsetting DATABASE_URL).",
  );
}
