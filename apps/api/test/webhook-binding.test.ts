import { createHash } from "node:crypto";
import { signWebhook } from "@redial/bland";
import { type DialDependencies, dialLead, ensureDialSlots, intakeLead } from "@redial/services";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiHarness, startApi, WEBHOOK_SECRET } from "./api-harness.ts";

/**
 * What a signed Bland webhook may change: a result is applied only to the attempt its call_id
 * belongs to (metadata.attempt_id is a cross-check), every event ends with its final result, and a
 * second delivery of the same bytes is counted on the first event, not stored again.
 */

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
  await ensureDialSlots(api.runtime.ctx.db, 10);
  api.setNow("2026-12-02T17:00:00Z"); // Wednesday noon in New York
});
afterAll(async () => api.close());

/** Dials a new New York lead; its call id is `b-<attempt>`, or none when Bland's answer is lost. */
async function dialed(phone: string, options: { answerLost?: boolean } = {}) {
  const deps: DialDependencies = {
    dialer: {
      place: async ({ attemptId }) => {
        if (options.answerLost) throw new Error("timeout");
        return { callId: `b-${attemptId}` };
      },
      findPlacedCall: async () => undefined,
      getCall: async () => undefined,
      classify: (error) => ({ kind: "ambiguous", message: String(error) }),
    },
    limits: { maxConcurrent: 10, maxPerHour: null, maxPerDay: null },
  };
  const { lead } = await intakeLead(api.runtime.ctx, { phone, state: "NY", zip: "10001" });
  await dialLead(api.runtime.ctx, deps, lead.id);
  const attempt = await api.runtime.ctx.db
    .selectFrom("call_attempts")
    .select(["id", "bland_call_id"])
    .where("lead_id", "=", lead.id)
    .executeTakeFirstOrThrow();
  return { leadId: lead.id, attemptId: Number(attempt.id), callId: attempt.bland_call_id };
}

async function post(body: string) {
  return api.app.inject({
    method: "POST",
    url: "/v1/webhooks/bland",
    headers: { "content-type": "application/json", "x-webhook-signature": signWebhook(body, WEBHOOK_SECRET) },
    payload: body,
  });
}

const sale = (fields: Record<string, unknown>) =>
  JSON.stringify({
    completed: true,
    status: "completed",
    answered_by: "human",
    call_length: 3,
    disposition_tag: "SALE",
    ...fields,
  });

async function state(call: { leadId: number; attemptId: number }) {
  const lead = await api.runtime.ctx.db
    .selectFrom("leads")
    .select(["status", "final_outcome"])
    .where("id", "=", call.leadId)
    .executeTakeFirstOrThrow();
  const attempt = await api.runtime.ctx.db
    .selectFrom("call_attempts")
    .select(["state", "outcome"])
    .where("id", "=", call.attemptId)
    .executeTakeFirstOrThrow();
  return { lead, attempt };
}

async function eventsWith(body: string) {
  return api.runtime.ctx.db
    .selectFrom("webhook_events")
    .select(["result", "error", "delivery_count", "last_delivered_at"])
    .where("body", "=", body)
    .execute();
}

describe("a Bland result is bound to its call by call_id", () => {
  it("a signed body with no call_id, only metadata.attempt_id, is not applied: the lead is not sold", async () => {
    const call = await dialed("2125550601");
    const before = await state(call);
    const body = sale({ metadata: { attempt_id: call.attemptId } });
    const response = await post(body);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ received: true, result: "ignored", call_id: null });
    expect(await state(call)).toEqual(before);
    expect(before).toMatchObject({
      lead: { status: "active", final_outcome: null },
      attempt: { state: "in_progress" },
    });
    expect(await eventsWith(body)).toMatchObject([
      { result: "ignored", error: expect.stringMatching(/call_id/) },
    ]);
  });

  it("a call_id that belongs to another attempt than the one named: 409, the event kept and marked conflict, nothing changed", async () => {
    const a = await dialed("2125550602");
    const b = await dialed("2125550603");
    const before = [await state(a), await state(b)];
    const body = sale({ call_id: a.callId, metadata: { attempt_id: b.attemptId } });
    const response = await post(body);
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({ code: "call_id_conflict" });
    expect(response.json().error.message).toMatch(new RegExp(`attempt ${b.attemptId}`));
    expect([await state(a), await state(b)]).toEqual(before);
    expect(await eventsWith(body)).toMatchObject([{ result: "conflict", delivery_count: 1 }]);
  });

  it("the answer names what decided the outcome, as stored on the attempt and shown by reporting.calls", async () => {
    const call = await dialed("2125550607");
    const response = await post(sale({ call_id: call.callId, metadata: { attempt_id: call.attemptId } }));
    expect(response.json()).toMatchObject({ result: "processed", outcome: "SALE" });
    const reason = response.json().outcome_reason;
    expect(reason).toMatch(/disposition_tag/);
    const { rows } = await sql<{ stored: string; reported: string }>`
      SELECT a.outcome_reason AS stored, r.outcome_reason AS reported
      FROM call_attempts a JOIN reporting.calls r ON r.call_id = a.id
      WHERE a.id = ${call.attemptId}`.execute(api.runtime.ctx.db);
    expect(rows).toEqual([{ stored: reason, reported: reason }]);
  });

  it("a call_id not stored yet (Bland's answer to the dial was lost) is bound to the attempt named, which has no call id", async () => {
    const call = await dialed("2125550604", { answerLost: true });
    expect(call.callId).toBeNull();
    const response = await post(sale({ call_id: "b-late", metadata: { attempt_id: call.attemptId } }));
    expect(response.json()).toMatchObject({ result: "processed", outcome: "SALE" });
    expect(await state(call)).toEqual({
      lead: { status: "completed", final_outcome: "SALE" },
      attempt: { state: "ended", outcome: "SALE" },
    });
  });
});

describe("webhook deliveries", () => {
  it("the same bytes delivered twice are stored once: the second is counted on the first event and answered duplicate", async () => {
    const call = await dialed("2125550605");
    const body = sale({ call_id: call.callId, metadata: { attempt_id: call.attemptId } });
    expect((await post(body)).json()).toMatchObject({ result: "processed", outcome: "SALE" });
    const again = await post(body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ received: true, result: "duplicate", call_id: call.callId });
    const events = await eventsWith(body);
    expect(events).toMatchObject([{ result: "processed", delivery_count: 2 }]);
    expect(events[0]?.last_delivered_at).toBeInstanceOf(Date);
  });

  it("an event whose processing failed is processed again when the same bytes come again", async () => {
    const call = await dialed("2125550606");
    const body = sale({ call_id: call.callId, metadata: { attempt_id: call.attemptId } });
    // As a first delivery that failed half-way (a lost connection) leaves it.
    await sql`INSERT INTO webhook_events (source, call_id, body, body_sha256, result, error)
              VALUES ('bland', ${call.callId}, ${body}::jsonb, ${createHash("sha256").update(body).digest()}, 'error', 'lost')`.execute(
      api.runtime.ctx.db,
    );
    expect((await post(body)).json()).toMatchObject({ result: "processed", outcome: "SALE" });
    expect(await eventsWith(body)).toMatchObject([{ result: "processed", error: null, delivery_count: 2 }]);
    expect((await state(call)).lead).toEqual({ status: "completed", final_outcome: "SALE" });
  });
});
