import type { Db } from "@redial/db";
import { sql } from "kysely";

/**
 * Create the DIAL_MAX_CONCURRENT slots (a worker at start, before its first dial: creating them
 * inside a dial would make concurrent first dials wait on each other's rows). A dial takes one
 * (redial_write_dial), the trigger of its attempt gives it back.
 */
export async function ensureDialSlots(db: Db, maxConcurrent: number): Promise<void> {
  await sql`SELECT dial_slots_ensure(${maxConcurrent})`.execute(db);
}

/** The channel dial_slot_release (migrations/repeatable) notifies when a call gives its slot back. */
export const DIAL_SLOT_FREED_CHANNEL = "redial_dial_slot_freed";

/** A worker's view of the DIAL_MAX_CONCURRENT slots for its dial jobs waiting at the limit. */
export interface DialSlotWatch {
  /** Resolves true when a slot looks free for this waiter (first come, first served), false past `patienceMs` from `since`. */
  freed(since: number): Promise<boolean>;
  /** A slot was given back (DIAL_SLOT_FREED_CHANNEL): read the slots now if a job waits, not at the next read. */
  wake(): void;
  /** Every waiter resolves false; no more reads. */
  stop(): void;
}

/**
 * While dial jobs of this worker wait at DIAL_MAX_CONCURRENT, read the busy slots every
 * `everyMs` (one statement for all of them) and let as many waiters go as slots are free, oldest
 * first: a slot given back is taken again within one read, and the jobs keep their turn instead of
 * going back to the schedule. Two workers may both see the same free slot: the slot row decides
 * (SKIP LOCKED), and the loser waits again. Reads nothing while no job waits. `wake` (a slot
 * given back, by LISTEN) reads at once; the timed read stays for a notification lost with its
 * connection.
 */
export function watchDialSlots(
  db: Db,
  maxConcurrent: number,
  options: { everyMs: number; patienceMs: number; onError?: (error: unknown) => void },
): DialSlotWatch {
  const waiters: Array<{ since: number; resolve: (freed: boolean) => void }> = [];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let reading = false;
  let wokenWhileReading = false;
  const release = (count: number, freed: boolean) => {
    for (const waiter of waiters.splice(0, count)) waiter.resolve(freed);
  };
  const read = async () => {
    timer = undefined;
    reading = true;
    try {
      const { rows } = await sql<{ busy: number }>`
        SELECT count(*)::int AS busy FROM dial_slots WHERE taken_at IS NOT NULL AND attempt_id IS NOT NULL`.execute(
        db,
      );
      release(Math.max(0, maxConcurrent - (rows[0]?.busy ?? maxConcurrent)), true);
    } catch (error) {
      options.onError?.(error);
    } finally {
      reading = false;
    }
    const now = Date.now();
    for (let i = waiters.length - 1; i >= 0; i--) {
      const waiter = waiters[i];
      if (waiter && now - waiter.since >= options.patienceMs) {
        waiters.splice(i, 1);
        waiter.resolve(false);
      }
    }
    // A slot given back while this read ran may not be in its count: read again at once.
    const again = wokenWhileReading && !stopped && waiters.length > 0;
    wokenWhileReading = false;
    if (again) void read();
    else schedule();
  };
  const schedule = () => {
    if (!stopped && !reading && timer === undefined && waiters.length > 0)
      timer = setTimeout(read, options.everyMs);
  };
  return {
    freed(since) {
      if (stopped || Date.now() - since >= options.patienceMs) return Promise.resolve(false);
      return new Promise((resolve) => {
        waiters.push({ since, resolve });
        schedule();
      });
    },
    wake() {
      if (stopped || waiters.length === 0) return;
      if (reading) {
        wokenWhileReading = true;
        return;
      }
      if (timer) clearTimeout(timer);
      void read();
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      release(waiters.length, false);
    },
  };
}
