import { inTransaction, listRedialingLeadIds, lockLead } from "@redial/db";
import { isRedialing } from "@redial/domain";
import { leadsOfFailedDialJobs, leadsWithoutDialJob } from "@redial/jobs";
import { sql } from "kysely";
import type { RedialContext } from "./context.ts";
import { rescheduleLead } from "./reschedule-lead.ts";

/**
 * Every lead being redialed without a dial job gets one. Returns how many were healed. A lead that
 * cannot be rescheduled is logged and skipped, never stops the sweep for the others (the next
 * sweep tries it again).
 */
export async function healSchedules(ctx: RedialContext, batchSize = 500): Promise<number> {
  let healed = 0;
  for (let afterId = 0; ; ) {
    const ids = await listRedialingLeadIds(ctx.db, { afterId, limit: batchSize });
    healed += await healLeads(ctx, await leadsWithoutDialJob(ctx.boss, ids));
    if (ids.length < batchSize) return healed;
    afterId = ids.at(-1) ?? afterId;
  }
}

/** How far back `healFailedDials` looks, on the job table's clock (failed dial jobs are kept an hour). */
const FAILED_DIAL_LOOKBACK_SECONDS = 15 * 60;

/**
 * Every minute: a lead whose dial job failed (its worker killed mid-dial, the job threw) and that
 * has no job now gets one, instead of waiting for the next full sweep (HEAL_CRON).
 */
export async function healFailedDials(ctx: RedialContext, batchSize = 500): Promise<number> {
  let healed = 0;
  for (let afterLeadId = 0; ; ) {
    const ids = await leadsOfFailedDialJobs(ctx.boss, {
      lookbackSeconds: FAILED_DIAL_LOOKBACK_SECONDS,
      afterLeadId,
      limit: batchSize,
    });
    healed += await healLeads(ctx, ids);
    if (ids.length < batchSize) return healed;
    afterLeadId = ids.at(-1) ?? afterLeadId;
  }
}

/**
 * A lead whose dial job pg-boss just failed (its worker stopped beating: killed mid-dial) gets a
 * job again, if it is still being redialed and has none (a dial that committed before the kill
 * queued its lead's next job already). Resolves whether it was given one.
 */
export async function healFailedDial(ctx: RedialContext, leadId: number): Promise<boolean> {
  return inTransaction(ctx.db, async (trx) => {
    const lead = await lockLead(trx, leadId);
    if (!lead || !isRedialing(lead.status)) return false;
    // Under the lead's lock: no writer can queue its job meanwhile.
    if ((await leadsWithoutDialJob(ctx.boss, [leadId])).length === 0) return false;
    await rescheduleLead(ctx, trx, lead.id);
    return true;
  });
}

/**
 * Each lead, locked, is rescheduled if it is still being redialed (its job comes with the
 * schedule), in its own transaction. Returns how many were; one that throws is logged and left
 * for the next sweep.
 */
async function healLeads(ctx: RedialContext, ids: readonly number[]): Promise<number> {
  let healed = 0;
  for (const id of ids) {
    try {
      const done = await inTransaction(ctx.db, async (trx) => {
        const lead = await lockLead(trx, id);
        if (!lead || !isRedialing(lead.status)) return false;
        await rescheduleLead(ctx, trx, lead.id);
        return true;
      });
      if (done) healed++;
    } catch (error) {
      ctx.log.error({ leadId: id, err: error }, "lead could not be rescheduled; the next sweep tries again");
    }
  }
  return healed;
}

/** Leads the daily reset makes active per transaction. */
const DAILY_RESET_BATCH = 5000;

/**
 * Id ranges the daily reset walks at once, each on a connection of its own. One by default: two
 * finished a million leads in 44.7 s against 47.2 s, but the dials and webhooks beside them ran at
 * 0.35 of their rate instead of 0.83 (docs/performance.md, session 3).
 */
const DAILY_RESET_LANES = 1;

/**
 * 00:01 campaign time: the leads at their daily maximum become active again, `batchSize` per
 * transaction in id order (redial_daily_reset, migrations/repeatable: each lead once per pass, and
 * the dial loop never waits on more than one batch), the id range split in `lanes` walked at once
 * (one by default: more finish sooner only by taking the cores the dials need), then the
 * self-healing sweep.
 */
export async function runDailyReset(
  ctx: RedialContext,
  batchSize = DAILY_RESET_BATCH,
  lanes = DAILY_RESET_LANES,
): Promise<{ reset: number; healed: number }> {
  const { rows } = await sql<{ low: number | null; high: number | null }>`
    SELECT min(id) AS low, max(id) AS high FROM leads WHERE status = 'daily_max_reached'`.execute(ctx.db);
  const low = rows[0]?.low;
  const high = rows[0]?.high;
  let reset = 0;
  if (low !== null && low !== undefined && high !== null && high !== undefined) {
    const span = high - low + 1;
    const starts = Array.from({ length: lanes }, (_, lane) => low - 1 + Math.floor((lane * span) / lanes));
    const counts = await Promise.all(
      starts.map((from, lane) => resetIdRange(ctx, from, starts[lane + 1] ?? high, batchSize)),
    );
    reset = counts.reduce((sum, n) => sum + n, 0);
  }
  const healed = await healSchedules(ctx);
  return { reset, healed };
}

/**
 * The leads at their daily maximum with an id in (afterId, upTo], batch by batch; the last batch
 * may run past upTo into the next lane's range, where a lead already reset is skipped (the
 * function re-checks the status under the row's lock), so each lead is reset and counted once.
 */
async function resetIdRange(
  ctx: RedialContext,
  afterId: number,
  upTo: number,
  batchSize: number,
): Promise<number> {
  let reset = 0;
  for (let from = afterId; from < upTo; ) {
    const { rows } = await sql<{ reset: number; last_id: number | null }>`
      SELECT reset, last_id FROM redial_daily_reset(${from}, ${batchSize})`.execute(ctx.db);
    reset += rows[0]?.reset ?? 0;
    const last = rows[0]?.last_id;
    if (last === null || last === undefined) break;
    from = Number(last);
  }
  return reset;
}

/**
 * Fold the report rollups' pending deltas into their totals (report_rollups_compact). Reports are
 * exact either way (they read totals + deltas); this keeps what they read small. Returns the
 * groups written; one compaction runs at a time across the fleet (a second returns 0 at once).
 */
export async function compactReportRollups(ctx: RedialContext): Promise<number> {
  const { rows } = await sql<{ folded: string }>`SELECT report_rollups_compact() AS folded`.execute(ctx.db);
  return Number(rows[0]?.folded ?? 0);
}
