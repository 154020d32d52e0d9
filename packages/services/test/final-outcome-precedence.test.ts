import type { TestDatabase } from "@redial/db/testing";
import type { FinalOutcome } from "@redial/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addDnc,
  applyConvosoStatus,
  type DialDependencies,
  dialLead,
  ensureDialSlots,
  intakeLead,
  type RedialContext,
  type Runtime,
  receiveBlandWebhook,
  stopLead,
} from "../src/index.ts";
import { startTestRuntime } from "../src/testing/test-runtime.ts";

/**
 * A lead's first final outcome stands (completionBy): a later SALE never overwrites a DNC, a later
 * DNC never overwrites a SALE — but a later DNC still puts the phone on our DNC list and tells
 * Convoso. One rule, checked here on each path that completes a lead: a call's result, a hand
 * stop, a Convoso status, a DNC add.
 */

let database: TestDatabase;
let runtime: Runtime;
let ctx: RedialContext;
beforeAll(async () => {
  ({ database, runtime } = await startTestRuntime({ syncToConvoso: true }));
  await ensureDialSlots(runtime.ctx.db, 10);
  // Wednesday 2026-12-02, 12:00 Eastern.
  ctx = { ...runtime.ctx, now: () => new Date("2026-12-02T17:00:00Z") };
});
afterAll(async () => {
  await runtime.stop();
  await database.drop();
});

const deps: DialDependencies = {
  dialer: {
    place: async ({ attemptId }) => ({ callId: `p-${attemptId}` }),
    findPlacedCall: async () => undefined,
    getCall: async () => undefined,
    classify: (error) => ({ kind: "ambiguous", message: String(error) }),
  },
  limits: { maxConcurrent: 10, maxPerHour: null, maxPerDay: null },
};

let phones = 0;
async function newLead() {
  const { lead } = await intakeLead(ctx, {
    phone: `305555${String(1000 + ++phones)}`,
    state: "FL",
    zip: "33130",
  });
  return lead;
}

async function completed(outcome: FinalOutcome) {
  const lead = await newLead();
  await stopLead(ctx, lead.id, outcome);
  return lead;
}

async function leadOf(id: number) {
  return ctx.db
    .selectFrom("leads")
    .select(["status", "final_outcome", "last_outcome"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
}

async function onDncList(phone: string) {
  return ctx.db.selectFrom("dnc_phones").select(["source"]).where("phone", "=", phone).execute();
}

/** The convoso-sync jobs of the lead, oldest first: what Convoso is told. */
async function toldConvoso(leadId: number) {
  const { rows } = await sql<{ outcome: string; dnc: boolean }>`
    SELECT data ->> 'outcome' AS outcome, (data ->> 'dnc')::boolean AS dnc FROM pgboss.job
    WHERE name = 'convoso-sync' AND (data ->> 'leadId')::bigint = ${leadId} ORDER BY created_on`.execute(
    ctx.db,
  );
  return rows;
}

async function callResult(leadId: number, disposition: string) {
  const { id } = await ctx.db
    .selectFrom("call_attempts")
    .select("id")
    .where("lead_id", "=", leadId)
    .where("state", "in", ["dialing", "in_progress"])
    .executeTakeFirstOrThrow();
  return receiveBlandWebhook(ctx, {
    call_id: `p-${id}`,
    completed: true,
    status: "completed",
    answered_by: "human",
    call_length: 2,
    disposition_tag: disposition,
    metadata: { attempt_id: Number(id) },
  });
}

describe("a lead's first final outcome stands", () => {
  it("a call's result: a DNC entered by hand while the call was open stays DNC when the call ends SALE", async () => {
    const lead = await newLead();
    expect(await dialLead(ctx, deps, lead.id)).toBe("placed");
    await stopLead(ctx, lead.id, "DNC", "asked by phone");
    expect(await callResult(lead.id, "SALE")).toMatchObject({ status: "processed", outcome: "SALE" });
    expect(await leadOf(lead.id)).toEqual({
      status: "completed",
      final_outcome: "DNC",
      last_outcome: "SALE",
    });
    expect(await toldConvoso(lead.id)).toEqual([{ outcome: "DNC", dnc: true }]);
  });

  it("a call's result: a lead sold by hand while the call was open stays SALE when the call ends DNC; the phone goes on both DNC lists", async () => {
    const lead = await newLead();
    expect(await dialLead(ctx, deps, lead.id)).toBe("placed");
    await stopLead(ctx, lead.id, "SALE");
    expect(await callResult(lead.id, "DNC")).toMatchObject({ status: "processed", outcome: "DNC" });
    expect(await leadOf(lead.id)).toMatchObject({ status: "completed", final_outcome: "SALE" });
    expect(await onDncList(lead.phone)).toEqual([{ source: "call" }]);
    expect(await toldConvoso(lead.id)).toEqual([
      { outcome: "SALE", dnc: false },
      { outcome: "SALE", dnc: true },
    ]);
  });

  it("a hand stop: SALE on a DNC lead changes nothing; DNC on a sold lead keeps SALE, lists the phone, tells Convoso", async () => {
    const dnc = await completed("DNC");
    await stopLead(ctx, dnc.id, "SALE");
    expect(await leadOf(dnc.id)).toMatchObject({ final_outcome: "DNC" });
    expect(await toldConvoso(dnc.id)).toEqual([{ outcome: "DNC", dnc: true }]);

    const sold = await completed("SALE");
    await stopLead(ctx, sold.id, "DNC", "asked later");
    expect(await leadOf(sold.id)).toMatchObject({ final_outcome: "SALE" });
    expect(await onDncList(sold.phone)).toEqual([{ source: "manual" }]);
    expect(await toldConvoso(sold.id)).toEqual([
      { outcome: "SALE", dnc: false },
      { outcome: "SALE", dnc: true },
    ]);
  });

  it("a Convoso status: SALE on a DNC lead changes nothing; a DNC status on a sold lead keeps SALE and lists the phone", async () => {
    const dnc = await completed("DNC");
    expect(await applyConvosoStatus(ctx, { phone: dnc.phone, status: "SALE" })).toMatchObject({
      leadId: dnc.id,
    });
    expect(await leadOf(dnc.id)).toMatchObject({ final_outcome: "DNC" });

    const sold = await completed("SALE");
    await applyConvosoStatus(ctx, { phone: sold.phone, status: "DNCL" });
    expect(await leadOf(sold.id)).toMatchObject({ final_outcome: "SALE" });
    expect(await onDncList(sold.phone)).toHaveLength(1);
    expect((await toldConvoso(sold.id)).at(-1)).toEqual({ outcome: "SALE", dnc: true });
  });

  it("a DNC add: a sold lead stays SALE, its phone is on our list and Convoso is told; a DNC lead is told nothing new", async () => {
    const sold = await completed("SALE");
    const added = await addDnc(ctx, sold.phone, "complaint");
    expect(added).toMatchObject({ added: true, lead: { finalOutcome: "SALE", status: "completed" } });
    expect(await onDncList(sold.phone)).toEqual([{ source: "api" }]);
    expect((await toldConvoso(sold.id)).at(-1)).toEqual({ outcome: "SALE", dnc: true });

    const dnc = await completed("DNC");
    await addDnc(ctx, dnc.phone, "again");
    expect(await toldConvoso(dnc.id)).toEqual([{ outcome: "DNC", dnc: true }]);
  });
});
