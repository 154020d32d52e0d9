import type { Database } from "@redial/db";
import {
  findLeads,
  insertNewLeads,
  inTransaction,
  isRetryableTransactionError,
  type Lead,
  recordFirstConsents,
  type Transaction,
} from "@redial/db";
import { normalizePhone } from "@redial/domain";
import { sql } from "kysely";
import type { RedialContext } from "./context.ts";
import { InvalidField, ServiceError } from "./errors.ts";
import { intakeLeadIn, locateLead } from "./intake-lead.ts";
import { type FieldWarning, type LeadInput, type ParsedLead, parseLeadInput } from "./lead-input.ts";
import { rescheduleLeads } from "./reschedule-lead.ts";

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
  const chunkSize = options.chunkSize ?? 500;
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
 * The chunk's new leads, set-based: what intakeLeadIn does for a phone not yet stored, as one
 * statement per step for all of them — insert the leads (a phone stored already, on the DNC list or
 * twice in the chunk is left out), record their consents (the same trigger derives the current
 * one), read them, plan each with planSchedule and write the schedules and dial jobs with
 * redial_write_schedule. Rows left out (and rows with a Convoso lead id, whose binding is checked
 * lead by lead) go through admitRow. Under a savepoint: when a step fails, nothing of it stays and
 * every row goes through admitRow, which answers for each.
 */
async function admitNewLeads(
  ctx: RedialContext,
  trx: Transaction<Database>,
  rows: readonly { index: number; parsed: ParsedLead }[],
  via: string,
): Promise<Map<number, BulkRowResult>> {
  const candidates = rows.flatMap(({ index, parsed }) => {
    const phone = normalizePhone(parsed.input.phone);
    return phone && !parsed.input.convoso_lead_id ? [{ index, parsed, phone }] : [];
  });
  if (candidates.length === 0) return new Map();
  await sql`SAVEPOINT bulk_new_leads`.execute(trx);
  try {
    const ids = await insertNewLeads(
      trx,
      candidates.map(({ parsed: { input }, phone }) => ({
        phone,
        firstName: input.first_name ?? null,
        lastName: input.last_name ?? null,
        email: input.email ?? null,
        state: input.state ?? null,
        zip: input.zip ?? null,
        ...locateLead(phone, input),
        listId: input.list_id ?? null,
        source: input.source ?? null,
      })),
    );
    // A phone twice in the chunk: its first row created it, the later ones are admitted one by one.
    const seen = new Set<string>();
    const admitted = candidates.filter(({ phone }) => {
      if (!ids.has(phone) || seen.has(phone)) return false;
      seen.add(phone);
      return true;
    });
    const leadIdOf = (phone: string) => ids.get(phone) as number;
    await recordFirstConsents(
      trx,
      admitted.flatMap(({ parsed, phone }) =>
        parsed.input.consent ? [{ leadId: leadIdOf(phone), consent: parsed.input.consent }] : [],
      ),
      via,
    );
    await rescheduleLeads(ctx, trx, [...ids.values()]);
    const leads = new Map((await findLeads(trx, [...ids.values()])).map((lead) => [lead.id, lead]));
    await sql`RELEASE SAVEPOINT bulk_new_leads`.execute(trx);
    return new Map(
      admitted.map(({ index, parsed, phone }) => {
        const lead = leads.get(leadIdOf(phone)) as Lead;
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
