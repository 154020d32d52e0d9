import {
  type AttemptResult,
  completedSchedule,
  type DialEvidence,
  type DialLimits,
  dialJobDelaySeconds,
  type FinalOutcome,
  type FleetLimit,
  type LeadResultChange,
  type LeadSchedule,
} from "@redial/domain";
import { type RawBuilder, sql, type Transaction } from "kysely";
import { attemptResultColumns } from "./call-attempts.ts";
import type { Db } from "./client.ts";
import type { LeadReading } from "./lead-reading.ts";
import { type NewLead, newLeadColumns } from "./leads.ts";
import type { Database } from "./schema.ts";

/**
 * The lead writers: one per event (a dial, a call's result, a new schedule, a completion), each one
 * statement (a function of migrations/repeatable) that writes a plan under a guard:
 * - `locked`: the caller's transaction holds the lead's lock and read it after taking it;
 * - `unchanged`: nothing was locked; the statement locks the lead and writes only if its version
 *   and attempts mark are still those read (else `stale`: nothing written, read and plan again).
 * The optimistic and the locked paths run the same statements; only the guard differs.
 */
export type WriteGuard =
  | { kind: "locked" }
  | { kind: "unchanged"; version: string; attemptsMark: string; since: Date };

export const LEAD_LOCKED: WriteGuard = Object.freeze({ kind: "locked" });

/** The guard of a plan made from `reading` without holding the lead's lock. */
export function unchangedSince(reading: LeadReading): WriteGuard {
  return {
    kind: "unchanged",
    version: reading.version,
    attemptsMark: reading.attemptsMark,
    since: reading.since,
  };
}

export type Written = "written" | "stale";

type Executor = Db | Transaction<Database>;

function guardArguments(leadId: number, guard: WriteGuard): RawBuilder<unknown> {
  return guard.kind === "locked"
    ? sql`${leadId}::bigint, NULL::text, NULL::text, NULL::timestamptz`
    : sql`${leadId}::bigint, ${guard.version}::text, ${guard.attemptsMark}::text, ${guard.since}::timestamptz`;
}

/** What a plan changes on the lead row, as leads columns (redial_lead_update): the one mapping. */
export interface LeadChange {
  schedule?: LeadSchedule;
  attemptsTotal?: number;
  /** Completed with this outcome at this instant (its schedule is completedSchedule's). */
  completed?: { outcome: FinalOutcome; at: Date };
  lastOutcome?: string;
  callbackAt?: Date | null;
  /** Only ever set: null keeps the stored one. */
  badNumberUntil?: Date | null;
}

export function leadColumns(change: LeadChange): Record<string, unknown> {
  const schedule = change.completed ? completedSchedule(change.completed.outcome) : change.schedule;
  return {
    ...(schedule
      ? {
          status: schedule.status,
          next_attempt_at: schedule.nextAttemptAt,
          waiting_reason: schedule.waitingReason,
        }
      : {}),
    ...(change.completed
      ? { final_outcome: change.completed.outcome, completed_at: change.completed.at }
      : {}),
    ...(change.attemptsTotal !== undefined ? { attempts_total: change.attemptsTotal } : {}),
    ...(change.lastOutcome !== undefined ? { last_outcome: change.lastOutcome } : {}),
    ...(change.callbackAt !== undefined ? { callback_at: change.callbackAt } : {}),
    ...(change.badNumberUntil ? { bad_number_until: change.badNumberUntil } : {}),
  };
}

const json = (value: unknown) => (value === null ? null : JSON.stringify(value));

export interface DialWrite {
  /** The lead's calls placed or in flight with this one (the attempt itself is numbered after its last). */
  attemptsTotal: number;
  campaignDay: string;
  dialedAt: Date;
  /** The lead's schedule while the call runs (its job wakes at the reconciliation deadline). */
  schedule: LeadSchedule;
  limits: DialLimits;
  /** Where today's campaign day began (DIAL_MAX_PER_DAY counts from there). */
  dayStart: Date;
  /** What the dial was decided on (dialEvidence): stored with the attempt, immutable. */
  evidence: DialEvidence;
}

export type DialWritten =
  | { kind: "written"; attemptId: number }
  | { kind: "stale" }
  | { kind: "fleet_limit"; limit: FleetLimit };

/** A dial: the attempt, the lead in progress, its job at the deadline, a slot (redial_write_dial). */
export async function writeDial(
  db: Executor,
  leadId: number,
  guard: WriteGuard,
  dial: DialWrite,
): Promise<DialWritten> {
  const changes = leadColumns({ schedule: dial.schedule, attemptsTotal: dial.attemptsTotal });
  const { rows } = await sql<{
    result: Written | "fleet_limit";
    attempt_id: string | null;
    fleet_limit: FleetLimit | null;
  }>`
    SELECT result, attempt_id, fleet_limit FROM redial_write_dial(${guardArguments(leadId, guard)},
      ${dial.campaignDay}::date, ${dial.dialedAt}::timestamptz,
      ${json(changes)}::jsonb, ${dialJobDelaySeconds(dial.schedule, dial.dialedAt)}::float8,
      ${dial.limits.maxConcurrent}::integer, ${dial.limits.maxPerHour}::integer, ${dial.limits.maxPerDay}::integer,
      ${dial.dayStart}::timestamptz, ${json(dial.evidence)}::jsonb)`.execute(db);
  const row = rows[0];
  if (row?.result === "written" && row.attempt_id !== null)
    return { kind: "written", attemptId: Number(row.attempt_id) };
  if (row?.result === "fleet_limit" && row.fleet_limit)
    return { kind: "fleet_limit", limit: row.fleet_limit };
  return { kind: "stale" };
}

export interface ResultWrite {
  attemptId: number;
  attempt: AttemptResult;
  lead: LeadResultChange;
  now: Date;
  /** The phone onto our DNC list, with why and from where. */
  addToDncList: { reason: string; source: string } | null;
  /** The convoso-sync job's payload. */
  convosoSync: Record<string, unknown> | null;
  /** The webhook event the result came in, and its final result. */
  event: { id: number; result: "processed" } | null;
}

/** A call's result: the attempt ended, the lead's change and job, DNC, Convoso, the event (redial_write_result). */
export async function writeResult(
  db: Executor,
  leadId: number,
  guard: WriteGuard,
  write: ResultWrite,
): Promise<Written> {
  const { lead } = write;
  const next = lead.next;
  const change: LeadChange = {
    lastOutcome: lead.lastOutcome,
    callbackAt: lead.callbackAt,
    badNumberUntil: lead.badNumberUntil,
    ...(next.kind === "complete" ? { completed: { outcome: next.outcome, at: write.now } } : {}),
    ...(next.kind === "schedule" ? { schedule: next.schedule } : {}),
  };
  const jobDelay = next.kind === "schedule" ? dialJobDelaySeconds(next.schedule, write.now) : null;
  const { rows } = await sql<{ written: Written }>`
    SELECT redial_write_result(${guardArguments(leadId, guard)},
      ${write.attemptId}::bigint, ${json(attemptResultColumns(write.attempt))}::jsonb,
      ${json(leadColumns(change))}::jsonb, ${jobDelay}::float8,
      ${write.addToDncList?.reason ?? null}::text, ${write.addToDncList?.source ?? null}::text,
      ${json(write.convosoSync)}::jsonb, ${write.event?.id ?? null}::bigint, ${write.event?.result ?? null}::text) AS written`.execute(
    db,
  );
  return rows[0]?.written === "written" ? "written" : "stale";
}

export interface ScheduleWrite {
  /** The lead's new schedule; null leaves the lead as it is (a given-back dial of a completed or paused lead). */
  schedule: LeadSchedule | null;
  now: Date;
  /** A dial Bland certainly did not place, given back first. */
  notPlaced?: { attemptId: number; reason: string };
  /** What an outcome known otherwise than by a call's result changes too (a bad number Convoso reports). */
  outcome?: Pick<LeadChange, "lastOutcome" | "callbackAt" | "badNumberUntil">;
}

/** A lead's schedule and its one dial job (redial_write_schedule); optionally a dial given back. */
export async function writeSchedule(
  db: Executor,
  leadId: number,
  guard: WriteGuard,
  write: ScheduleWrite,
): Promise<Written> {
  const changes = write.schedule ? leadColumns({ schedule: write.schedule, ...write.outcome }) : null;
  const jobDelay = write.schedule ? dialJobDelaySeconds(write.schedule, write.now) : null;
  const { rows } = await sql<{ written: Written }>`
    SELECT redial_write_schedule(${guardArguments(leadId, guard)},
      ${json(changes)}::jsonb, ${jobDelay}::float8,
      ${write.notPlaced?.attemptId ?? null}::bigint, ${write.notPlaced?.reason ?? null}::text,
      ${write.notPlaced ? write.now : null}::timestamptz) AS written`.execute(db);
  return rows[0]?.written === "written" ? "written" : "stale";
}

/**
 * New leads written once each, with their first schedule, and their dial jobs (the bulk intake's
 * chunk, planned before insert: newLeadFacts, planSchedule): one INSERT of the rows — a phone
 * already stored, on the DNC list or a second time in `leads` is skipped, the caller admits those
 * one by one — and one of the inserted leads' dial jobs (redial_dial_jobs_insert: the job
 * redial_write_schedule's redial_dial_job_set puts for a lead without one, at redial_dial_priority).
 * Returns the inserted leads' ids by phone.
 */
export async function writeNewLeads(
  trx: Transaction<Database>,
  leads: readonly { lead: NewLead; schedule: LeadSchedule }[],
  now: Date,
): Promise<Map<string, number>> {
  if (leads.length === 0) return new Map();
  const rows = leads.map(({ lead, schedule }) => ({ ...newLeadColumns(lead), ...leadColumns({ schedule }) }));
  const { rows: inserted } = await sql<{ id: string; phone: string }>`
    INSERT INTO leads (phone, first_name, last_name, email, state, zip, timezones, states, convoso_lead_id,
      list_ids, source, status, next_attempt_at, waiting_reason)
    SELECT r.phone, r.first_name, r.last_name, r.email, r.state, r.zip, r.timezones, r.states,
      r.convoso_lead_id, r.list_ids, r.source, r.status, r.next_attempt_at, r.waiting_reason
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
      phone text, first_name text, last_name text, email text, state text, zip text, timezones text[],
      states text[], convoso_lead_id text, list_ids text[], source text, status text,
      next_attempt_at timestamptz, waiting_reason text)
    WHERE NOT EXISTS (SELECT 1 FROM dnc_phones d WHERE d.phone = r.phone)
    ON CONFLICT (phone) DO NOTHING
    RETURNING id, phone`.execute(trx);
  const ids = new Map(inserted.map((row) => [row.phone, Number(row.id)]));
  const jobs = leads.flatMap(({ lead, schedule }) => {
    const leadId = ids.get(lead.phone);
    const delay = dialJobDelaySeconds(schedule, now);
    return leadId === undefined || delay === null ? [] : [{ lead: leadId, delay }];
  });
  if (jobs.length > 0)
    await sql`
      SELECT redial_dial_jobs_insert(array_agg(r.lead), array_agg(r.delay), array_agg(redial_dial_priority(r.lead)))
      FROM jsonb_to_recordset(${JSON.stringify(jobs)}::jsonb) AS r(lead bigint, delay float8)`.execute(trx);
  return ids;
}

export interface CompletionWrite {
  /** Completed with this outcome now; null: the lead keeps its first final outcome. */
  complete: FinalOutcome | null;
  now: Date;
  addToDncList: { reason: string; source: string } | null;
  convosoSync: Record<string, unknown> | null;
}

/** A SALE or DNC that is not a call's result: the lead completed, its job gone, DNC, Convoso (redial_write_completion). */
export async function writeCompletion(
  db: Executor,
  leadId: number,
  guard: WriteGuard,
  write: CompletionWrite,
): Promise<Written> {
  const changes = write.complete
    ? leadColumns({ completed: { outcome: write.complete, at: write.now } })
    : null;
  const { rows } = await sql<{ written: Written }>`
    SELECT redial_write_completion(${guardArguments(leadId, guard)}, ${json(changes)}::jsonb,
      ${write.addToDncList?.reason ?? null}::text, ${write.addToDncList?.source ?? null}::text,
      ${json(write.convosoSync)}::jsonb) AS written`.execute(db);
  return rows[0]?.written === "written" ? "written" : "stale";
}
