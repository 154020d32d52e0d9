import {
  type ConvosoClient,
  type ConvosoStatus,
  type ConvosoStatusOverrides,
  classifyConvosoStatus,
} from "@redial/convoso";
import type { Database } from "@redial/db";
import { inTransaction } from "@redial/db";
import type { Kysely } from "kysely";
import type { RedialContext } from "../context.ts";
import { applyPhonePlan, lockPhoneLead } from "./apply-phone.ts";
import { reasonOf } from "./backfill-errors.ts";
import {
  nextUncheckedPhones,
  type PhoneOutcome,
  type RunPhone,
  recordFailures,
  savePhoneOutcome,
} from "./backfill-run-store.ts";
import type { BackfillProgress } from "./backfill-types.ts";
import { mapConcurrent } from "./map-concurrent.ts";
import {
  type ConvosoFacts,
  decidePhone,
  needsConvoso,
  type PhoneFacts,
  planPhone,
} from "./phone-decision.ts";

export interface CheckSettings {
  db: Kysely<Database>;
  convoso: ConvosoClient;
  /** The account's statuses (their sale/DNC flags classify a status); empty: by name. */
  statuses: readonly ConvosoStatus[];
  /** CONVOSO_STATUS_MAP's STATUS:treatment entries, over the statuses' flags. */
  statusOverrides?: ConvosoStatusOverrides | undefined;
  /** The full context in a real run; absent in a dry run (nothing is applied). */
  ctx?: RedialContext | undefined;
  batchSize: number;
  totalPhones: number;
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: BackfillProgress) => void) | undefined;
}

/**
 * Phase 2: the run's undecided phones, `batchSize` at a time, looked up in Convoso (paced by the
 * client), decided, and applied one transaction per phone together with the phone's stored
 * outcome, so a failure stays with its phone and a resumed run picks up the undecided ones.
 * Returns false when stopped by the signal.
 */
export async function checkPhones(
  settings: CheckSettings,
  runId: number,
  alreadyDone: number,
): Promise<boolean> {
  let done = alreadyDone;
  for (;;) {
    if (settings.signal?.aborted) return false;
    const phones = await nextUncheckedPhones(settings.db, runId, settings.batchSize);
    if (phones.length === 0) return true;
    const onOurDnc = await phonesOnOurDnc(settings.db, phones);
    const facts = await mapConcurrent(phones, settings.batchSize, (p) =>
      factsOf(settings, p, onOurDnc.has(p.phone)),
    );
    // One phone at a time: a settle holds a pooled connection while the scheduler may need another
    // (the calendar cache), so running several at once could exhaust the pool and wait forever.
    for (const [i, phone] of phones.entries())
      await settlePhone(settings, runId, phone, facts[i] as PhoneFacts);
    done += phones.length;
    settings.onProgress?.({ phase: "check", done, total: settings.totalPhones });
  }
}

async function phonesOnOurDnc(db: Kysely<Database>, phones: readonly RunPhone[]): Promise<Set<string>> {
  const rows = await db
    .selectFrom("dnc_phones")
    .select("phone")
    .where(
      "phone",
      "in",
      phones.map((p) => p.phone),
    )
    .execute();
  return new Set(rows.map((r) => r.phone));
}

async function factsOf(settings: CheckSettings, phone: RunPhone, onOurDnc: boolean): Promise<PhoneFacts> {
  const base = { historyFinal: phone.historyFinal, onOurDnc };
  if (!needsConvoso(base)) return { ...base, convoso: { kind: "skipped" } };
  return { ...base, convoso: await lookUp(settings, phone.phone) };
}

/** Convoso's DNC list and its leads (first match across lists). */
async function lookUp(settings: CheckSettings, phone: string): Promise<ConvosoFacts> {
  try {
    const [onDncList, lead] = await Promise.all([
      settings.convoso.searchDnc(phone),
      settings.convoso.findLeadByPhone(phone),
    ]);
    if (!lead) return { kind: "not_found", onDncList };
    return {
      kind: "found",
      lead,
      onDncList,
      statusClass: classifyConvosoStatus(lead.status ?? "", settings.statuses, settings.statusOverrides),
    };
  } catch (error) {
    return { kind: "error", reason: `Convoso: ${reasonOf(error)}` };
  }
}

async function settlePhone(
  settings: CheckSettings,
  runId: number,
  phone: RunPhone,
  facts: PhoneFacts,
): Promise<void> {
  const { decision, reason } = decidePhone(facts);
  const stored = (o: Omit<PhoneOutcome, "convoso" | "convosoStatus" | "decision">): PhoneOutcome => ({
    ...o,
    convoso: facts.convoso.kind,
    convosoStatus: facts.convoso.kind === "found" ? facts.convoso.lead.status : null,
    decision,
  });
  try {
    await inTransaction(settings.db, async (trx) => {
      const ctx = settings.ctx;
      if (!ctx) {
        const lead =
          phone.leadId === null
            ? null
            : await trx
                .selectFrom("leads")
                .select(["status", "waiting_reason"])
                .where("id", "=", phone.leadId)
                .executeTakeFirst();
        const plan = planPhone(
          decision,
          reason,
          lead ? { status: lead.status, waitingReason: lead.waiting_reason } : null,
          facts,
        );
        const dncAdded = plan.addToOurDnc;
        await savePhoneOutcome(
          trx,
          runId,
          phone.phone,
          stored({ leadId: phone.leadId, result: plan.result, dncAdded, reason }),
        );
        return;
      }
      const lead = await lockPhoneLead(trx, phone.phone, phone.leadId);
      if (!lead) throw new Error(`no lead for ${phone.phone}: its calls were not imported`);
      const plan = planPhone(
        decision,
        reason,
        { status: lead.status, waitingReason: lead.waitingReason },
        facts,
      );
      const convosoLead = facts.convoso.kind === "found" ? facts.convoso.lead : null;
      const dncAdded = await applyPhonePlan(ctx, trx, lead, phone.phone, plan, { reason, convosoLead });
      await savePhoneOutcome(
        trx,
        runId,
        phone.phone,
        stored({ leadId: lead.id, result: plan.result, dncAdded, reason }),
      );
    });
    if (decision === "error")
      await recordFailures(settings.db, runId, [{ stage: "phone", item: phone.phone, reason }]);
  } catch (error) {
    const why = reasonOf(error);
    await savePhoneOutcome(settings.db, runId, phone.phone, {
      ...stored({ leadId: phone.leadId, result: "untouched", dncAdded: false, reason: why }),
      decision: "error",
    });
    await recordFailures(settings.db, runId, [{ stage: "phone", item: phone.phone, reason: why }]);
  }
}
