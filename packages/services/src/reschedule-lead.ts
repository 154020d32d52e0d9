import {
  type Database,
  LEAD_LOCKED,
  readLead,
  readLeads,
  type Transaction,
  writeSchedule,
  writeSchedules,
} from "@redial/db";
import { historyStart, type LeadSchedule, planSchedule } from "@redial/domain";
import { callChecksOf } from "./call-checks-source.ts";
import type { RedialContext } from "./context.ts";

/**
 * Make the lead's stored schedule and its one dial job agree with the rules engine now, in the
 * caller's transaction, which holds the lead's lock (intake, resume, heal, relocate, backfill).
 * `activate`: planned as an active lead (a paused one resumed, a backfilled one queued). Returns
 * the schedule written, undefined when the lead does not exist.
 */
export async function rescheduleLead(
  ctx: RedialContext,
  trx: Transaction<Database>,
  leadId: number,
  options: { activate?: boolean } = {},
): Promise<LeadSchedule | undefined> {
  const now = ctx.now();
  // Read after the caller's lock: it sees every commit before it.
  const reading = await readLead(trx, leadId, historyStart(now));
  if (!reading) return undefined;
  const facts = options.activate
    ? { ...reading, lead: { ...reading.lead, status: "active" as const } }
    : reading;
  const calendar = await ctx.calendar.get();
  const schedule = planSchedule({
    facts,
    now,
    policy: ctx.policy,
    calendar,
    checks: await callChecksOf(ctx),
  });
  await writeSchedule(trx, leadId, LEAD_LOCKED, { schedule, now });
  return schedule;
}

/**
 * rescheduleLead for many leads the caller's transaction holds (new leads it inserted): the same
 * reading, plan and writer (redial_write_schedule), a statement to read them all and one to write.
 */
export async function rescheduleLeads(
  ctx: RedialContext,
  trx: Transaction<Database>,
  leadIds: readonly number[],
): Promise<void> {
  const now = ctx.now();
  const readings = await readLeads(trx, leadIds, historyStart(now));
  const calendar = await ctx.calendar.get();
  const checks = await callChecksOf(ctx);
  const writes = readings.map((facts) => ({
    leadId: facts.lead.id,
    schedule: planSchedule({ facts, now, policy: ctx.policy, calendar, checks }),
  }));
  await writeSchedules(trx, writes, now);
}
