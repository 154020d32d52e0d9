import type { Database } from "@redial/db";
import {
  findLeads,
  inTransaction,
  isRetryableTransactionError,
  type Lead,
  type NewLead,
  recordFirstConsents,
  type Transaction,
  writeNewLeads,
} from "@redial/db";
import { type LeadSchedule, normalizePhone } from "@redial/domain";
import { sql } from "kysely";
import type { RedialContext } from "./context.ts";
import { InvalidField, ServiceError } from "./errors.ts";
import { intakeLeadIn, locateLead, newLeadFrom } from "./intake-lead.ts";
import { type FieldWarning, type LeadInput, type ParsedLead, parseLeadInput } from "./lead-input.ts";
import { planNewLeads } from "./reschedule-lead.ts";

interface RowError {
  code: string;
  message: string;
  /** The field refused, as the sender named it (an InvalidField's). */
  field?: string;
}

function rowError(error: ServiceError): RowError {
  return error instanceof InvalidField
    ? { code: error.code, message: error.message, field: error.field }
    : { code: error.code, message: error.message };
}

/**
 * One row's answer: admitted (`created`/`existing`, with its warnings), `rejected` for a reason of
 * its own (nothing of it written), or `not_written` because its chunk's transaction failed
 * (nothing of that chunk written; send those rows again).
 */
export type BulkRowResult =
  | { index: number; status: "created" | "existing"; lead: Lead; changed: boolean; warnings: FieldWarning[] }
  | { index: number; status: "rejected" | "not_written"; error: RowError };

/**
 * Admit many leads, one transaction per chunk, every row answered. A row is read by the same
 * parseLeadInput as a single lead (a bad row is rejected before its chunk's transaction opens);
 * inside the transaction each row runs under a savepoint, so a row that fails there (its phone
 * on the DNC list, a write refused) is rolled back alone. When a chunk's transaction itself fails,
 * its rows answer `not_written`; the chunks before it stay committed and those after it still run.
 */
export async function intakeLeadsBulk(
  ctx: RedialContext,
  rows: readonly unknown[],
  options: { chunkSize?: number; parse?: (row: unknown) => ParsedLead; via?: string } = {},
): Promise<BulkRowResult[]> {
  const chunkSize = options.chunkSize ?? 2000;
  const now = ctx.now();
  const parse = options.parse ?? ((row: unknown) => parseLeadInput(row, { now }));
  const via = options.via ?? "bulk intake";
  const results: BulkRowResult[] = [];
  for (let start = 0; start < rows.length; start += chunkSize) {
    const valid: { index: number; parsed: ParsedLead }[] = [];
    rows.slice(start, start + chunkSize).forEach((row, offset) => {
      const index = start + offset;
      try {
        valid.push({ index, parsed: parse(row) });
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        results.push({ index, status: "rejected", error: rowError(error) });
      }
    });
    results.push(...(await admitChunk(ctx, valid, via)));
  }
  return results.sort((a, b) => a.index - b.index);
}

async function admitChunk(
  ctx: RedialContext,
  rows: readonly { index: number; parsed: ParsedLead }[],
  via: string,
): Promise<BulkRowResult[]> {
  if (rows.length === 0) return [];
  try {
    return await inTransaction(ctx.db, async (trx) => {
      const created = await admitNewLeads(ctx, trx, rows, via);
      const out: BulkRowResult[] = [];
      for (const { index, parsed } of rows)
        out.push(created.get(index) ?? (await admitRow(ctx, trx, index, parsed.input, parsed.warnings, via)));
      return out;
    });
  } catch (error) {
    const first = rows[0]?.index ?? 0;
    const last = rows[rows.length - 1]?.index ?? first;
    ctx.log.error({ err: error, first, last }, "bulk intake: a chunk's transaction failed");
    const cause = error instanceof ServiceError ? `${error.code}: ${error.message}` : "logged on the server";
    return rows.map(({ index }) => ({
      index,
      status: "not_written" as const,
      error: {
        code: "chunk_failed",
        message: `Rows ${first}–${last} were not written: their transaction failed (${cause}). Send them again.`,
      },
    }));
  }
}

/**
 * The chunk's new leads, set-based, each row written once with its schedule (a consent's trigger
 * then updates the leads it gives a consent, in one statement): what intakeLeadIn does for a phone not
 * yet stored, decided before the insert and written as one statement per step for all of them —
 * each lead's first schedule planned (planNewLeads: the rules engine over a new lead's facts), the
 * leads inserted with it and their dial jobs (writeNewLeads: a phone stored already or on the DNC
 * list is left out), their consents recorded (the consent trigger derives every current consent in
 * one statement), then read back. Rows left out (a phone twice in the chunk after its first row,
 * a Convoso lead id, whose binding is checked lead by lead) go through admitRow. Under a savepoint:
 * when a step fails, nothing of it stays and every row goes through admitRow, which answers for each.
 */
async function admitNewLeads(
  ctx: RedialContext,
  trx: Transaction<Database>,
  rows: readonly { index: number; parsed: ParsedLead }[],
  via: string,
): Promise<Map<number, BulkRowResult>> {
  const candidates = newLeadCandidates(rows);
  if (candidates.length === 0) return new Map();
  await sql`SAVEPOINT bulk_new_leads`.execute(trx);
  try {
    const now = ctx.now();
    const schedules = await planNewLeads(
      ctx,
      candidates.map(({ lead, parsed }) => ({ ...lead, consent: parsed.input.consent })),
      now,
    );
    const ids = await writeNewLeads(
      trx,
      candidates.map(({ lead }, i) => ({ lead, schedule: schedules[i] as LeadSchedule })),
      now,
    );
    const admitted = candidates.flatMap((candidate) => {
      const leadId = ids.get(candidate.lead.phone);
      return leadId === undefined ? [] : [{ ...candidate, leadId }];
    });
    await recordFirstConsents(
      trx,
      admitted.flatMap(({ parsed, leadId }) =>
        parsed.input.consent ? [{ leadId, consent: parsed.input.consent }] : [],
      ),
      via,
    );
    const leads = new Map((await findLeads(trx, [...ids.values()])).map((lead) => [lead.id, lead]));
    await sql`RELEASE SAVEPOINT bulk_new_leads`.execute(trx);
    return new Map(
      admitted.map(({ index, parsed, leadId }) => {
        const lead = leads.get(leadId) as Lead;
        return [index, { index, status: "created", lead, changed: true, warnings: parsed.warnings }];
      }),
    );
  } catch (error) {
    if (isRetryableTransactionError(error)) throw error;
    await sql`ROLLBACK TO SAVEPOINT bulk_new_leads`.execute(trx);
    await sql`RELEASE SAVEPOINT bulk_new_leads`.execute(trx);
    ctx.log.warn({ err: error }, "bulk intake: the chunk's new leads are admitted one by one");
    return new Map();
  }
}

/**
 * The rows that may be new leads, as the leads they would be: a phone read (E.164) the first time
 * in the chunk, without a Convoso lead id.
 */
function newLeadCandidates(
  rows: readonly { index: number; parsed: ParsedLead }[],
): { index: number; parsed: ParsedLead; lead: NewLead }[] {
  const seen = new Set<string>();
  return rows.flatMap(({ index, parsed }) => {
    const { input } = parsed;
    const phone = normalizePhone(input.phone);
    if (!phone || input.convoso_lead_id || seen.has(phone)) return [];
    seen.add(phone);
    return [{ index, parsed, lead: newLeadFrom(phone, input, locateLead(phone, input)) }];
  });
}

/** One row under a savepoint: its failure rolls back its own writes only. */
async function admitRow(
  ctx: RedialContext,
  trx: Transaction<Database>,
  index: number,
  input: LeadInput,
  warnings: FieldWarning[],
  via: string,
): Promise<BulkRowResult> {
  await sql`SAVEPOINT bulk_row`.execute(trx);
  try {
    const { lead, created, changed, warnings: all } = await intakeLeadIn(ctx, trx, input, warnings, via);
    await sql`RELEASE SAVEPOINT bulk_row`.execute(trx);
    return { index, status: created ? "created" : "existing", lead, changed, warnings: all };
  } catch (error) {
    // A deadlock victim: the whole chunk runs again (inTransaction).
    if (isRetryableTransactionError(error)) throw error;
    await sql`ROLLBACK TO SAVEPOINT bulk_row`.execute(trx);
    await sql`RELEASE SAVEPOINT bulk_row`.execute(trx);
    if (error instanceof ServiceError) return { index, status: "rejected", error: rowError(error) };
    ctx.log.error({ err: error, index }, "bulk intake: a row could not be written");
    return {
      index,
      status: "rejected",
      error: {
        code: "write_failed",
        message: `Row ${index} could not be written (logged on the server); nothing of it was stored.`,
      },
    };
  }
}
