import { inTransaction, widenLeadLocation } from "@redial/db";
import { isRedialing, type LeadStatus } from "@redial/domain";
import { sql } from "kysely";
import type { RedialContext } from "./context.ts";
import { locateLead } from "./intake-lead.ts";
import { rescheduleLead } from "./reschedule-lead.ts";

export interface RelocateSummary {
  /** Leads not completed, looked at. */
  checked: number;
  /** Of those, leads the current tables give a zone or state they did not have. */
  widened: number;
  /** Of the widened, active or daily-max leads whose next dial was decided again. */
  rescheduled: number;
}

interface LeadPlace {
  id: number;
  phone: string;
  state: string | null;
  zip: string | null;
  timezones: string[];
  states: string[];
  status: LeadStatus;
}

export interface RelocateOptions {
  dryRun?: boolean;
  batchSize?: number;
  /** After each batch, the running totals (progress). */
  onBatch?: (summary: RelocateSummary) => void;
}

/**
 * After a change to the location tables (area codes, state zones) or to how they are combined:
 * every lead not completed gets the zones and states its phone, state and ZIP give today, added
 * to the ones it has (the union only ever narrows when it may be called), and a lead that gained
 * one has its next dial decided again. One transaction per batch of leads, each batch's leads
 * locked in id order (as every writer locks them); `dryRun` counts without writing. Safe to run
 * while the loop runs, and again: a second run finds nothing to widen.
 * A dry run reads leads only: the database is all it needs.
 */
export function relocateLeads(
  ctx: Pick<RedialContext, "db">,
  options: RelocateOptions & { dryRun: true },
): Promise<RelocateSummary>;
export function relocateLeads(ctx: RedialContext, options?: RelocateOptions): Promise<RelocateSummary>;
export async function relocateLeads(
  ctx: Pick<RedialContext, "db"> | RedialContext,
  options: RelocateOptions = {},
): Promise<RelocateSummary> {
  const batchSize = options.batchSize ?? 1000;
  const summary: RelocateSummary = { checked: 0, widened: 0, rescheduled: 0 };
  let afterId = 0;
  for (;;) {
    const batch = await inTransaction(ctx.db, async (trx) => {
      const { rows } = await sql<LeadPlace>`
        SELECT id, phone, state, zip, timezones, states, status FROM leads
        WHERE id > ${afterId} AND status <> 'completed'
        ORDER BY id LIMIT ${batchSize}
        ${options.dryRun ? sql`` : sql`FOR UPDATE`}`.execute(trx);
      let widened = 0;
      let rescheduled = 0;
      for (const lead of rows) {
        const current = locateLead(lead.phone, { state: lead.state, zip: lead.zip });
        if (options.dryRun) {
          if (!contains(lead.timezones, current.timezones) || !contains(lead.states, current.states))
            widened++;
          continue;
        }
        if (!(await widenLeadLocation(trx, lead.id, current))) continue;
        widened++;
        if (!isRedialing(lead.status)) continue;
        await rescheduleLead(ctx as RedialContext, trx, lead.id);
        rescheduled++;
      }
      return { count: rows.length, lastId: rows.at(-1)?.id, widened, rescheduled };
    });
    summary.checked += batch.count;
    summary.widened += batch.widened;
    summary.rescheduled += batch.rescheduled;
    if (batch.lastId === undefined) return summary;
    afterId = Number(batch.lastId);
    options.onBatch?.({ ...summary });
    if (batch.count < batchSize) return summary;
  }
}

function contains(have: readonly string[], wanted: readonly string[]): boolean {
  return wanted.every((item) => have.includes(item));
}
