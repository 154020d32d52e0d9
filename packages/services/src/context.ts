import type { Logger } from "@redial/config";
import type { ConvosoStatusOverrides } from "@redial/convoso";
import type { Db } from "@redial/db";
import type { CallChecks, RedialPolicy, SchedulerConfig } from "@redial/domain";
import type { PgBoss } from "@redial/jobs";

/** Where the current campaign calendar comes from (the database, cached briefly). */
export interface CalendarSource {
  get(): Promise<SchedulerConfig>;
}

/** When open calls are asked about at Bland (the expected call re-read from recent calls). */
export interface CallChecksSource {
  get(): Promise<CallChecks>;
}

/** Everything a use case needs, built once per process at start and passed in. */
export interface RedialContext {
  db: Db;
  boss: PgBoss;
  policy: RedialPolicy;
  calendar: CalendarSource;
  /** The only clock: tests pass their own. */
  now: () => Date;
  log: Logger;
  /** The hard deadline of a call without its result: Bland's max duration + a margin. */
  reconcileAfterMs: number;
  /**
   * When a call without its result is asked about at Bland, well before the deadline (a dial
   * without its call id after RECONCILE_AMBIGUOUS_AFTER_SECONDS; a placed one at its expected
   * length, then at growing gaps). Absent: defaultCallChecks(reconcileAfterMs).
   */
  callChecks?: CallChecksSource;
  /**
   * Queue each outcome for Convoso (CONVOSO_SYNC_ENABLED). Off, nothing is queued: no worker would
   * consume the jobs, and they would pile up in the job table for the queue's retention.
   */
  syncToConvoso: boolean;
  /**
   * Read a lead without a lock and write the plan if nothing changed since (one statement each:
   * the common case), before the locked transaction (read-plan-write.ts). Default true;
   * DATABASE_OPTIMISTIC_WRITES=false takes the locked transaction every time (same statements).
   */
  optimisticWrites?: boolean;
  /** CONVOSO_STATUS_MAP's `STATUS:treatment` entries: how a Convoso status is read, over the account's flags. */
  convosoStatusOverrides?: ConvosoStatusOverrides;
}
