import { type Database, LEAD_LOCKED, readLead, type Transaction, writeSchedule } from "@redial/db";
import {
  type Consent,
  firstGrantOnRecord,
  historyStart,
  type LeadSchedule,
  newLeadFacts,
  planSchedule,
} from "@redial/domain";
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
 * The first schedule of leads about to be inserted (the bulk intake's new leads): the rules engine
 * as rescheduleLead asks it for a stored lead (planSchedule, at `now`, the same policy,
 * calendar and call checks), over the facts a lead has before its first call (newLeadFacts), its
 * consent the one its first grant puts on record. Written with the row by writeNewLeads.
 */
export async function planNewLeads(
  ctx: RedialContext,
  leads: readonly { timezones: string[]; states: string[]; consent?: Consent | null }[],
  now: Date,
): Promise<LeadSchedule[]> {
  const calendar = await ctx.calendar.get();
  const checks = await callChecksOf(ctx);
  return leads.map(({ timezones, states, consent }) =>
    planSchedule({
      facts: newLeadFacts({ timezones, states, consent: firstGrantOnRecord(consent) }),
      now,
      policy: ctx.policy,
      calendar,
      checks,
    }),
  );
}
