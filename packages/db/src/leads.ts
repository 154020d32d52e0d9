import { type ConsentOnRecord, type FinalOutcome, type LeadStatus, REDIALING_STATUSES } from "@redial/domain";
import { sql, type Transaction } from "kysely";
import type { Db } from "./client.ts";
import type { Database, LeadRow, StoredConsent } from "./schema.ts";

/** A lead as the rest of the system sees it (rows never leave this file). */
export interface Lead {
  id: number;
  phone: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  state: string | null;
  zip: string | null;
  timezones: string[];
  states: string[];
  convosoLeadId: string | null;
  listIds: string[];
  source: string | null;
  status: LeadStatus;
  finalOutcome: FinalOutcome | null;
  lastOutcome: string | null;
  attemptsTotal: number;
  nextAttemptAt: Date | null;
  waitingReason: string | null;
  callbackAt: Date | null;
  badNumberUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  /** The consent on record now (the strongest grant since the last revocation), or null. */
  consent: ConsentOnRecord | null;
}

export interface NewLead {
  phone: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  state?: string | null;
  zip?: string | null;
  timezones: string[];
  states: string[];
  convosoLeadId?: string | null;
  listId?: string | null;
  source?: string | null;
  createdAt?: Date;
}

export class LeadNotFound extends Error {
  readonly code = "lead_not_found" as const;
  constructor(id: number | string) {
    super(`No lead with id ${id}. List leads with GET /v1/leads or check the id.`);
    this.name = "LeadNotFound";
  }
}

type Executor = Db | Transaction<Database>;

export function toLead(row: LeadRow): Lead {
  return {
    id: row.id,
    phone: row.phone,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    state: row.state,
    zip: row.zip,
    timezones: row.timezones,
    states: row.states,
    convosoLeadId: row.convoso_lead_id,
    listIds: row.list_ids,
    source: row.source,
    status: row.status,
    finalOutcome: row.final_outcome,
    lastOutcome: row.last_outcome,
    attemptsTotal: row.attempts_total,
    nextAttemptAt: row.next_attempt_at,
    waitingReason: row.waiting_reason,
    callbackAt: row.callback_at,
    badNumberUntil: row.bad_number_until,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
    consent: row.consent ? toConsent(row.consent) : null,
  };
}

function toConsent(stored: StoredConsent): ConsentOnRecord {
  return {
    id: Number(stored.id),
    type: stored.type,
    capturedAt: new Date(stored.captured_at),
    source: stored.source,
    ip: stored.ip,
    textVersion: stored.text_version,
    certificateId: stored.certificate_id,
    recordedAt: new Date(stored.recorded_at),
    recordedBy: stored.recorded_by,
  };
}

export async function findLead(db: Executor, id: number): Promise<Lead | undefined> {
  const row = await db.selectFrom("leads").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toLead(row) : undefined;
}

export async function getLead(db: Executor, id: number): Promise<Lead> {
  const lead = await findLead(db, id);
  if (!lead) throw new LeadNotFound(id);
  return lead;
}

export async function findLeadByPhone(db: Executor, phone: string): Promise<Lead | undefined> {
  const row = await db.selectFrom("leads").selectAll().where("phone", "=", phone).executeTakeFirst();
  return row ? toLead(row) : undefined;
}

/** Lock the lead's row for the rest of the transaction: every change to a lead goes through here. */
export async function lockLead(trx: Transaction<Database>, id: number): Promise<Lead | undefined> {
  const row = await trx.selectFrom("leads").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  return row ? toLead(row) : undefined;
}

/** A new lead's stored columns (insertOrLockLead's row, writeNewLeads' rows). */
export function newLeadColumns(lead: NewLead) {
  return {
    phone: lead.phone,
    first_name: lead.firstName ?? null,
    last_name: lead.lastName ?? null,
    email: lead.email ?? null,
    state: lead.state ?? null,
    zip: lead.zip ?? null,
    timezones: lead.timezones,
    states: lead.states,
    convoso_lead_id: lead.convosoLeadId ?? null,
    list_ids: lead.listId ? [lead.listId] : [],
    source: lead.source ?? null,
  };
}

/**
 * Insert a lead, or lock and return the existing lead with the same phone (recording the new list id).
 * Safe under concurrent intake of the same phone: the unique phone index decides. `changed`: the
 * row is new, or it gained a list id or its Convoso lead id.
 */
export async function insertOrLockLead(
  trx: Transaction<Database>,
  lead: NewLead,
): Promise<{ lead: Lead; created: boolean; changed: boolean }> {
  const inserted = await trx
    .insertInto("leads")
    .values({
      ...newLeadColumns(lead),
      ...(lead.createdAt ? { created_at: lead.createdAt, updated_at: lead.createdAt } : {}),
    })
    .onConflict((oc) => oc.column("phone").doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { lead: toLead(inserted), created: true, changed: true };
  const listId = lead.listId ?? null;
  const { rows } = await sql<LeadRow & { changed: boolean }>`
    WITH old AS (SELECT id, list_ids, convoso_lead_id FROM leads WHERE phone = ${lead.phone} FOR UPDATE)
    UPDATE leads l
    SET list_ids = CASE WHEN ${listId}::text IS NULL OR ${listId}::text = ANY(l.list_ids) THEN l.list_ids
                        ELSE array_append(l.list_ids, ${listId}::text) END,
        convoso_lead_id = coalesce(l.convoso_lead_id, ${lead.convosoLeadId ?? null}::text)
    FROM old WHERE l.id = old.id
    RETURNING l.*, (l.list_ids <> old.list_ids OR l.convoso_lead_id IS DISTINCT FROM old.convoso_lead_id) AS changed`.execute(
    trx,
  );
  const row = rows[0];
  if (!row) throw new Error(`The lead with phone ${lead.phone} was neither inserted nor found.`);
  const { changed, ...leadRow } = row;
  return { lead: toLead(leadRow), created: false, changed };
}

/** Leads by id (those that exist), in no particular order. */
export async function findLeads(db: Executor, ids: readonly number[]): Promise<Lead[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("leads")
    .selectAll()
    .where("id", "=", sql<number>`ANY(${[...ids]}::bigint[])`)
    .execute();
  return rows.map(toLead);
}

/**
 * Add the zones and states a (locked) lead may also be in: the union, which only ever narrows when
 * it may be called. One statement; true when the lead gained any (its next dial must be decided again).
 */
export async function widenLeadLocation(
  trx: Transaction<Database>,
  leadId: number,
  place: { timezones: readonly string[]; states: readonly string[] },
): Promise<boolean> {
  const timezones = [...place.timezones];
  const states = [...place.states];
  const { rows } = await sql<{ id: number }>`
    UPDATE leads
    SET timezones = ARRAY(SELECT DISTINCT z FROM unnest(timezones || ${timezones}::text[]) z ORDER BY z),
        states = ARRAY(SELECT DISTINCT s FROM unnest(states || ${states}::text[]) s ORDER BY s),
        updated_at = now()
    WHERE id = ${leadId} AND NOT (timezones @> ${timezones}::text[] AND states @> ${states}::text[])
    RETURNING id`.execute(trx);
  return rows.length > 0;
}

/** Leads being redialed (active, or at their daily max), in id order after `afterId`: the heal sweep's pages. */
export async function listRedialingLeadIds(
  db: Executor,
  options: { afterId: number; limit: number },
): Promise<number[]> {
  const rows = await db
    .selectFrom("leads")
    .select("id")
    .where("status", "in", [...REDIALING_STATUSES])
    .where("id", ">", options.afterId)
    .orderBy("id")
    .limit(options.limit)
    .execute();
  return rows.map((row) => row.id);
}
