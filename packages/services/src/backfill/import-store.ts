import type { Database, Transaction } from "@redial/db";
import { type Kysely, sql } from "kysely";
import { locateLead } from "../intake-lead.ts";
import type { RunPhone } from "./backfill-run-store.ts";
import { withBackfillTables } from "./backfill-schema.ts";
import type { ImportableCall } from "./call-to-attempt.ts";

/** The waiting reason of a lead the backfill created and has not decided yet (its marker). */
export const AWAITING_CHECK = "backfill: awaiting the Convoso check";
export const BACKFILL_REASON_PREFIX = "backfill:";

export interface BatchImport {
  imported: number;
  alreadyKnown: number;
  leadsCreated: number;
  phones: RunPhone[];
}

/**
 * Write one batch of past calls in the caller's transaction: a paused lead for each unknown phone,
 * then the attempts not known yet (ON CONFLICT on bland_call_id does nothing), numbered after the
 * lead's last attempt with its row locked, then the leads' attempt totals and last outcomes.
 */
export async function writeImportBatch(
  trx: Transaction<Database>,
  batch: readonly ImportableCall[],
  source: string,
): Promise<BatchImport> {
  const calls = uniqueByCallId(batch);
  const known = await knownCallIds(trx, calls);
  const fresh = calls.filter((c) => !known.has(c.callId));
  const leadsCreated = await insertMissingLeads(trx, fresh, source);
  const leadIds = await lockLeadsByPhone(trx, [...new Set(calls.map((c) => c.phone))]);
  const inserted = await insertAttempts(trx, fresh, leadIds);
  await refreshLeadTotals(trx, inserted);
  return {
    imported: [...inserted.values()].reduce((sum, n) => sum + n, 0),
    alreadyKnown: calls.length - fresh.length,
    leadsCreated,
    phones: runPhonesOf(calls, leadIds),
  };
}

/** The same batch, read only: what writeImportBatch would do (dry run). */
export async function planImportBatch(
  db: Kysely<Database>,
  runId: number,
  batch: readonly ImportableCall[],
): Promise<BatchImport> {
  const calls = uniqueByCallId(batch);
  const known = await knownCallIds(db, calls);
  const phones = [...new Set(calls.map((c) => c.phone))];
  const rows = await db.selectFrom("leads").select(["id", "phone"]).where("phone", "in", phones).execute();
  const leadIds = new Map(rows.map((r) => [r.phone, r.id]));
  const unknown = phones.filter((p) => !leadIds.has(p));
  const seen =
    unknown.length === 0
      ? []
      : await withBackfillTables(db)
          .selectFrom("backfill_phones")
          .select("phone")
          .where("run_id", "=", runId)
          .where("phone", "in", unknown)
          .execute();
  return {
    imported: calls.length - known.size,
    alreadyKnown: known.size,
    leadsCreated: unknown.length - seen.length,
    phones: runPhonesOf(calls, leadIds),
  };
}

function uniqueByCallId(batch: readonly ImportableCall[]): ImportableCall[] {
  const seen = new Set<string>();
  return batch.filter((c) => !seen.has(c.callId) && seen.add(c.callId) !== undefined);
}

async function knownCallIds(db: Kysely<Database>, calls: readonly ImportableCall[]): Promise<Set<string>> {
  if (calls.length === 0) return new Set();
  const rows = await db
    .selectFrom("call_attempts")
    .select("bland_call_id")
    .where(
      "bland_call_id",
      "in",
      calls.map((c) => c.callId),
    )
    .execute();
  return new Set(rows.map((r) => r.bland_call_id ?? ""));
}

async function insertMissingLeads(
  trx: Transaction<Database>,
  fresh: readonly ImportableCall[],
  source: string,
): Promise<number> {
  const firstByPhone = new Map<string, ImportableCall>();
  for (const call of fresh) {
    const first = firstByPhone.get(call.phone);
    if (!first || call.createdAt < first.createdAt) firstByPhone.set(call.phone, call);
  }
  if (firstByPhone.size === 0) return 0;
  const values = [...firstByPhone.values()].map((call) => {
    const location = locateLead(call.phone, { state: call.state, zip: call.zip });
    return {
      phone: call.phone,
      state: call.state,
      zip: call.zip,
      timezones: location.timezones,
      states: location.states,
      source: `backfill:${source}`,
      status: "paused" as const,
      waiting_reason: AWAITING_CHECK,
      created_at: call.createdAt,
      updated_at: call.createdAt,
    };
  });
  const rows = await trx
    .insertInto("leads")
    .values(values)
    .onConflict((oc) => oc.column("phone").doNothing())
    .returning("id")
    .execute();
  return rows.length;
}

async function lockLeadsByPhone(
  trx: Transaction<Database>,
  phones: readonly string[],
): Promise<Map<string, number>> {
  if (phones.length === 0) return new Map();
  const rows = await trx
    .selectFrom("leads")
    .select(["id", "phone"])
    .where("phone", "in", phones)
    .orderBy("id")
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.phone, r.id]));
}

/** Inserts the fresh calls oldest first; returns how many attempts each lead got. */
async function insertAttempts(
  trx: Transaction<Database>,
  fresh: readonly ImportableCall[],
  leadIds: ReadonlyMap<string, number>,
): Promise<Map<number, number>> {
  const ids = [...new Set(fresh.map((c) => leadIds.get(c.phone) ?? 0))];
  if (fresh.length === 0) return new Map();
  const maxRows = await trx
    .selectFrom("call_attempts")
    .select(["lead_id", sql<number>`max(attempt_number)::int`.as("n")])
    .where("lead_id", "in", ids)
    .groupBy("lead_id")
    .execute();
  const next = new Map(maxRows.map((r) => [r.lead_id, r.n]));
  const ordered = [...fresh].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const values = ordered.map((call) => {
    const leadId = leadIds.get(call.phone) ?? 0;
    const attemptNumber = (next.get(leadId) ?? 0) + 1;
    next.set(leadId, attemptNumber);
    return attemptRow(call, leadId, attemptNumber);
  });
  const rows = await trx
    .insertInto("call_attempts")
    .values(values)
    .onConflict((oc) => oc.column("bland_call_id").doNothing())
    .returning("lead_id")
    .execute();
  const counts = new Map<number, number>();
  for (const row of rows) counts.set(row.lead_id, (counts.get(row.lead_id) ?? 0) + 1);
  return counts;
}

function attemptRow(call: ImportableCall, leadId: number, attemptNumber: number) {
  return {
    lead_id: leadId,
    attempt_number: attemptNumber,
    campaign_day: call.campaignDay,
    dialed_at: call.createdAt,
    state: "ended" as const,
    origin: "backfill" as const,
    bland_call_id: call.callId,
    raw_status: call.rawStatus,
    outcome: call.outcome,
    outcome_reason: call.outcomeReason,
    answered_by: call.answeredBy,
    answered: call.answered,
    duration_seconds: call.durationSeconds,
    price: call.price,
    transferred: call.transferred,
    transferred_to: call.transferredTo,
    callback_at: call.callbackAt,
    error_message: call.errorMessage,
    ended_at: call.endedAt,
    result_source: "backfill" as const,
  };
}

/** attempts_total counts every call placed (these all were); last_outcome is the latest ended attempt's (by dial time). */
async function refreshLeadTotals(
  trx: Transaction<Database>,
  added: ReadonlyMap<number, number>,
): Promise<void> {
  if (added.size === 0) return;
  const ids = [...added.keys()];
  const counts = ids.map((id) => added.get(id) ?? 0);
  await sql`
    UPDATE leads l SET
      attempts_total = l.attempts_total + v.n,
      last_outcome = (SELECT a.outcome FROM call_attempts a
                      WHERE a.lead_id = l.id AND a.state = 'ended'
                      ORDER BY a.dialed_at DESC, a.id DESC LIMIT 1),
      updated_at = now()
    FROM unnest(${ids}::bigint[], ${counts}::int[]) AS v(id, n)
    WHERE l.id = v.id`.execute(trx);
}

function runPhonesOf(calls: readonly ImportableCall[], leadIds: ReadonlyMap<string, number>): RunPhone[] {
  const byPhone = new Map<string, RunPhone>();
  for (const call of calls) {
    const entry = byPhone.get(call.phone) ?? {
      phone: call.phone,
      leadId: leadIds.get(call.phone) ?? null,
      historyFinal: null,
    };
    if (call.outcome === "DNC" || (call.outcome === "SALE" && entry.historyFinal === null))
      entry.historyFinal = call.outcome;
    byPhone.set(call.phone, entry);
  }
  return [...byPhone.values()];
}
