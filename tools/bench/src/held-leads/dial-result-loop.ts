import { createLogger } from "@redial/config";
import { DEFAULT_REDIAL_POLICY } from "@redial/domain";
import * as services from "@redial/services";

/**
 * The dial loop's database work without HTTP, queue or workers (as loop-statements.ts): a lead is
 * dialed through dialLead with a dialer that answers at once, and its call's result arrives through
 * receiveBlandWebhook. The clock is the bench's own (a Wednesday inside the calling window), one
 * second on per step; the leads are due again at once after each result.
 */
export interface DialResultLoop {
  ctx: services.RedialContext;
  /** The leads the loop dials (startDialResultLoop's, or the last addLeads'). */
  leadIds: readonly number[];
  /** New leads for the loop to dial from now on (without history: a fair comparison at each size). */
  addLeads(count: number): Promise<void>;
  /** Dial a lead; throws unless the call was placed. */
  dial(leadId: number): Promise<void>;
  /** The webhook of the lead's last placed call (a voicemail); throws unless processed. */
  result(leadId: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A runtime as the loop's (its own pool of 4): the leads are due again at once after each call,
 * up to 1,000 calls a day, and carry no consent (the statements are measured, not the consent rule).
 */
export function startBenchRuntime(databaseUrl: string): Promise<services.Runtime> {
  return services.startRuntime({
    databaseUrl,
    policy: {
      ...DEFAULT_REDIAL_POLICY,
      intervalsMinutes: [0],
      minGapMinutes: 0.001,
      maxPerDay: 1000,
      consentRequired: "none",
    },
    reconcileAfterMs: 32 * 60_000,
    log: createLogger({ name: "bench", level: "silent", pretty: false }),
    poolSize: 4,
    syncToConvoso: false,
  });
}

export async function startDialResultLoop(databaseUrl: string, leads: number): Promise<DialResultLoop> {
  let clock = Date.parse("2026-12-02T16:00:00Z"); // Wednesday 11:00 Eastern: the window is open
  const runtime = await startBenchRuntime(databaseUrl);
  const ctx = { ...runtime.ctx, now: () => new Date(clock) };
  await services.ensureDialSlots(ctx.db, 1000);
  let leadIds: number[] = [];
  let phones = 0;
  const addLeads = async (count: number) => {
    leadIds = [];
    for (let i = 0; i < count; i++, phones++)
      leadIds.push(
        (await services.intakeLead(ctx, { phone: `21255${10000 + phones}`, state: "NY", zip: "10001" })).lead
          .id,
      );
  };
  await addLeads(leads);
  const placed = new Map<number, number>();
  const deps = {
    dialer: {
      place: async ({ leadId, attemptId }: { leadId: number; attemptId: number }) => {
        placed.set(leadId, attemptId);
        return { callId: `c-${attemptId}` };
      },
      findPlacedCall: async () => undefined,
      getCall: async () => undefined,
      classify: (error: unknown) => ({ kind: "ambiguous" as const, message: String(error) }),
    },
    limits: { maxConcurrent: 1000, maxPerHour: null, maxPerDay: null },
  };
  const receive = services.receiveBlandWebhook as (
    ctx: unknown,
    call: unknown,
  ) => Promise<{ status: string }>;
  return {
    ctx,
    get leadIds() {
      return leadIds;
    },
    addLeads,
    dial: async (leadId) => {
      clock += 1000;
      const dialed = await services.dialLead(ctx, deps, leadId);
      if (dialed !== "placed") throw new Error(`lead ${leadId}: dial ${dialed}`);
    },
    result: async (leadId) => {
      clock += 1000;
      const attemptId = placed.get(leadId);
      if (attemptId === undefined) throw new Error(`lead ${leadId}: no call placed`);
      const result = await receive(ctx, {
        call_id: `c-${attemptId}`,
        completed: true,
        status: "completed",
        answered_by: "voicemail",
        call_length: 0.5,
        metadata: { attempt_id: attemptId },
      });
      if (result.status !== "processed") throw new Error(`lead ${leadId}: result ${result.status}`);
    },
    stop: () => runtime.stop(),
  };
}
