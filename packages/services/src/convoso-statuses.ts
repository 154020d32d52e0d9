import {
  type ConvosoClient,
  type ConvosoStatus,
  type ConvosoStatusReading,
  readConvosoStatus,
} from "@redial/convoso";
import {
  type Database,
  type Db,
  inTransaction,
  LEAD_LOCKED,
  readLead,
  type Transaction,
  writeSchedule,
} from "@redial/db";
import { historyStart, planSchedule } from "@redial/domain";
import { callChecksOf } from "./call-checks-source.ts";
import type { RedialContext } from "./context.ts";

/**
 * The Convoso account's status table (/status/search), cached in PostgreSQL (convoso_statuses,
 * migration 0011): the workers hold the Convoso token and refresh it every
 * CONVOSO_STATUS_REFRESH_MINUTES; the API (no token) reads the same copy for the status webhook,
 * and a Convoso outage keeps the last good table instead of none. Statuses change when an admin
 * adds a disposition: minutes of staleness are harmless, CONVOSO_STATUS_MAP overrides at once.
 */
export interface CachedStatusTable {
  statuses: ConvosoStatus[];
  /** null: never fetched (codes are then read by name and CONVOSO_STATUS_MAP) */
  fetchedAt: Date | null;
}

export async function loadConvosoStatuses(db: Db): Promise<CachedStatusTable> {
  const rows = await db.selectFrom("convoso_statuses").selectAll().orderBy("code").execute();
  const fetchedAt = rows.reduce<Date | null>(
    (at, row) => (at && at > row.fetched_at ? at : row.fetched_at),
    null,
  );
  return { statuses: rows.map(({ fetched_at: _at, ...status }) => status), fetchedAt };
}

/** Replace the cached table with what /status/search answers now; returns it. */
export async function refreshConvosoStatuses(
  db: Db,
  convoso: Pick<ConvosoClient, "searchStatuses">,
  now: Date,
): Promise<ConvosoStatus[]> {
  const statuses = await convoso.searchStatuses();
  if (statuses.length === 0) return statuses;
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom("convoso_statuses").execute();
    await trx
      .insertInto("convoso_statuses")
      .values(statuses.map((s) => ({ ...s, fetched_at: now })))
      .onConflict((oc) => oc.column("code").doNothing())
      .execute();
  });
  return statuses;
}

/** How a status Convoso reports is treated: the cached table, CONVOSO_STATUS_MAP over it. */
export async function readStatusOfAccount(
  ctx: Pick<RedialContext, "db" | "convosoStatusOverrides">,
  code: string,
): Promise<ConvosoStatusReading> {
  const { statuses } = await loadConvosoStatuses(ctx.db);
  return readConvosoStatus(code, statuses, ctx.convosoStatusOverrides);
}

/**
 * Convoso says the number is bad (WRONG, BPN, DC, DNCNFD): the lead is parked like a Bland call
 * that failed on a bad number, no dial before BAD_NUMBER_COOLDOWN_DAYS, then rescheduled. In the
 * caller's transaction, which holds the lead's lock; `activate`: planned as an active lead (a
 * backfilled one queued).
 */
export async function parkBadNumberIn(
  ctx: RedialContext,
  trx: Transaction<Database>,
  leadId: number,
  options: { activate?: boolean } = {},
): Promise<void> {
  const now = ctx.now();
  const reading = await readLead(trx, leadId, historyStart(now));
  if (!reading) return;
  const badNumberUntil = new Date(now.getTime() + ctx.policy.badNumberCooldownDays * 86_400_000);
  const lead = {
    ...reading.lead,
    ...(options.activate ? { status: "active" as const } : {}),
    callbackAt: null,
    badNumberUntil,
  };
  const calendar = await ctx.calendar.get();
  const schedule = planSchedule({
    facts: { ...reading, lead },
    now,
    policy: ctx.policy,
    calendar,
    checks: await callChecksOf(ctx),
  });
  await writeSchedule(trx, leadId, LEAD_LOCKED, {
    schedule,
    now,
    outcome: { lastOutcome: "FAILED", callbackAt: null, badNumberUntil },
  });
}

/**
 * A worker keeps the cached table fresh: now, then every `everyMs`. A failed fetch is logged and
 * the last good table stays. Returns the stop function.
 */
export function keepConvosoStatusesFresh(
  ctx: Pick<RedialContext, "db" | "log" | "now">,
  convoso: Pick<ConvosoClient, "searchStatuses">,
  everyMs: number,
): { first: Promise<void>; stop: () => void } {
  const refresh = () =>
    refreshConvosoStatuses(ctx.db, convoso, ctx.now()).then(
      (statuses) => ctx.log.debug({ statuses: statuses.length }, "Convoso status table refreshed"),
      (error: unknown) =>
        ctx.log.warn({ err: error }, "Convoso status table not refreshed; the last good copy stays in use"),
    );
  const timer = setInterval(() => void refresh(), everyMs);
  timer.unref();
  return { first: refresh(), stop: () => clearInterval(timer) };
}
