import {
  type Database,
  type Db,
  inTransaction,
  isRetryableTransactionError,
  LEAD_LOCKED,
  type LeadReading,
  readLead,
  readLockedLead,
  type Transaction,
  unchangedSince,
  type WriteGuard,
  type Written,
} from "@redial/db";
import { historyStart } from "@redial/domain";
import type { RedialContext } from "./context.ts";

/** A step's answer when its writer found the lead changed since the reading: read, plan and write again. */
export const STALE = Symbol("stale");
export type Stale = typeof STALE;

/** What a read-plan-write step gets: the lead as read at `now`, and where and under which guard to write. */
export interface LeadStep {
  db: Db | Transaction<Database>;
  /** Undefined when the lead does not exist. */
  reading: LeadReading | undefined;
  guard: WriteGuard;
  now: Date;
}

/** STALE when the writer wrote nothing, else `done`. */
export function unlessStale<T>(written: Written, done: T): T | Stale {
  return written === "stale" ? STALE : done;
}

/** Tries under the lock before giving up (the DNC list can change under a locked lead; nothing else can). */
const LOCKED_TRIES = 3;

/**
 * The one place that chooses the guard of a lead's writes. `step` reads nothing itself: it plans
 * from the reading and writes with one lead writer (packages/db lead-writes.ts) under the guard
 * it is given. First (when ctx.optimisticWrites) the lead is read without a lock and written only
 * if nothing read has changed — one statement to read, one to write, the common case; `first`
 * hands over a reading already made (the webhook's, read with its event). If the writer answers
 * stale (or PostgreSQL chose it as a deadlock victim), the same step runs again in a transaction
 * that locks the lead before reading it.
 */
export async function readPlanWrite<T>(
  ctx: Pick<RedialContext, "db" | "now" | "optimisticWrites">,
  leadId: number,
  step: (lead: LeadStep) => Promise<T | Stale>,
  first?: { reading: LeadReading | undefined; now: Date },
): Promise<T> {
  if (ctx.optimisticWrites !== false) {
    const now = first?.now ?? ctx.now();
    const reading = first ? first.reading : await readLead(ctx.db, leadId, historyStart(now));
    const done = await step({
      db: ctx.db,
      reading,
      guard: reading ? unchangedSince(reading) : LEAD_LOCKED,
      now,
    }).catch((error: unknown): Stale => {
      if (isRetryableTransactionError(error)) return STALE;
      throw error;
    });
    if (done !== STALE) return done;
  }
  return inTransaction(ctx.db, async (trx) => {
    for (let tries = 0; tries < LOCKED_TRIES; tries++) {
      const now = ctx.now();
      const reading = await readLockedLead(trx, leadId, historyStart(now));
      const done = await step({ db: trx, reading, guard: LEAD_LOCKED, now });
      if (done !== STALE) return done;
    }
    throw new Error(
      `Lead ${leadId} kept changing under its lock (${LOCKED_TRIES} tries): its write was not made.`,
    );
  });
}
