import {
  type Database,
  getLead,
  insertOrLockLead,
  inTransaction,
  isOnDncList,
  type Lead,
  type Transaction,
  widenLeadLocation,
} from "@redial/db";
import { leadLocation, normalizePhone } from "@redial/domain";
import { lookupZip } from "@redial/geo";
import { z } from "zod";
import type { RedialContext } from "./context.ts";
import { InvalidPhone, PhoneOnDncList } from "./errors.ts";
import { rescheduleLead } from "./reschedule-lead.ts";

const optionalText = z.string().trim().max(200).nullish();

/** A lead as intake accepts it (our field names; the Convoso webhook maps its own names onto these). */
export const leadInputSchema = z.object({
  phone: z.string().trim().min(1, "phone is required").max(40),
  state: z
    .string()
    .trim()
    .transform((s) => s.toUpperCase())
    .pipe(z.string().regex(/^[A-Z]{2}$/, "a two-letter US state code such as FL"))
    .nullish(),
  zip: z
    .string()
    .trim()
    .transform((s) => s.slice(0, 5))
    .pipe(z.string().regex(/^\d{5}$/, "a 5-digit ZIP code"))
    .nullish(),
  first_name: optionalText,
  last_name: optionalText,
  email: z.string().trim().max(320).nullish(),
  convoso_lead_id: z.coerce.string().max(64).nullish(),
  list_id: z.coerce.string().max(64).nullish(),
  source: optionalText,
});
export type LeadInput = z.infer<typeof leadInputSchema>;

export interface IntakeResult {
  lead: Lead;
  created: boolean;
}

/** Where the lead may be: candidate states and timezones from its ZIP, state and area code. */
export function locateLead(
  phone: string,
  input: Pick<LeadInput, "state" | "zip">,
): { timezones: string[]; states: string[] } {
  const zip = input.zip ? lookupZip(input.zip) : undefined;
  return leadLocation({
    phone,
    state: input.state ?? null,
    zip: input.zip ?? null,
    zipTimezone: zip?.timezone ?? null,
    zipState: zip?.state ?? null,
  });
}

/** E.164, or InvalidPhone. */
export function requirePhone(input: string): string {
  const phone = normalizePhone(input);
  if (!phone) throw new InvalidPhone(input);
  return phone;
}

/**
 * Admit one lead in the caller's transaction: idempotent by phone (a known phone returns the
 * existing lead and records the list id, and keeps the zones and states of a new address too),
 * refused when the phone is on the DNC list; a new lead gets its schedule and its dial job in the
 * same transaction.
 */
export async function intakeLeadIn(
  ctx: RedialContext,
  trx: Transaction<Database>,
  input: LeadInput,
): Promise<IntakeResult> {
  const phone = requirePhone(input.phone);
  if (await isOnDncList(trx, phone)) throw new PhoneOnDncList(phone);
  const location = locateLead(phone, input);
  const { lead, created } = await insertOrLockLead(trx, {
    phone,
    firstName: input.first_name ?? null,
    lastName: input.last_name ?? null,
    email: input.email ?? null,
    state: input.state ?? null,
    zip: input.zip ?? null,
    timezones: location.timezones,
    states: location.states,
    convosoLeadId: input.convoso_lead_id ?? null,
    listId: input.list_id ?? null,
    source: input.source ?? null,
  });
  if (!created) {
    // Known phone, new address: where it may be called shrank; its next dial is decided again.
    if (!(await widenLeadLocation(trx, lead.id, location))) return { lead, created };
    const widened = await getLead(trx, lead.id);
    if (widened.status === "active" || widened.status === "daily_max_reached")
      await rescheduleLead(ctx, trx, widened);
    return { lead: await getLead(trx, lead.id), created };
  }
  await rescheduleLead(ctx, trx, lead);
  return { lead: await getLead(trx, lead.id), created };
}

export async function intakeLead(ctx: RedialContext, input: LeadInput): Promise<IntakeResult> {
  return inTransaction(ctx.db, (trx) => intakeLeadIn(ctx, trx, input));
}

export type BulkRowResult =
  | { index: number; status: "created" | "existing"; lead: Lead }
  | { index: number; status: "rejected"; error: { code: string; message: string } };

/**
 * Admit many leads, one transaction per chunk: a bad row is reported, never half-written, and
 * never stops the others (it is checked before its chunk's transaction opens).
 */
export async function intakeLeadsBulk(
  ctx: RedialContext,
  rows: readonly unknown[],
  chunkSize = 500,
): Promise<BulkRowResult[]> {
  const results: BulkRowResult[] = [];
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize).map((row, offset) => ({ index: start + offset, row }));
    const valid: { index: number; input: LeadInput }[] = [];
    for (const { index, row } of chunk) {
      const checked = checkRow(row);
      if ("error" in checked) results.push({ index, status: "rejected", error: checked.error });
      else valid.push({ index, input: checked.input });
    }
    const done = await inTransaction(ctx.db, async (trx) => {
      const out: BulkRowResult[] = [];
      for (const { index, input } of valid) {
        const phone = requirePhone(input.phone);
        if (await isOnDncList(trx, phone)) {
          const refused = new PhoneOnDncList(phone);
          out.push({ index, status: "rejected", error: { code: refused.code, message: refused.message } });
          continue;
        }
        const { lead, created } = await intakeLeadIn(ctx, trx, input);
        out.push({ index, status: created ? "created" : "existing", lead });
      }
      return out;
    });
    results.push(...done);
  }
  return results.sort((a, b) => a.index - b.index);
}

function checkRow(row: unknown): { input: LeadInput } | { error: { code: string; message: string } } {
  const parsed = leadInputSchema.safeParse(row);
  if (!parsed.success) {
    return {
      error: {
        code: "invalid_input",
        message: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
      },
    };
  }
  if (!normalizePhone(parsed.data.phone))
    return { error: { code: "invalid_phone", message: new InvalidPhone(parsed.data.phone).message } };
  return { input: parsed.data };
}
