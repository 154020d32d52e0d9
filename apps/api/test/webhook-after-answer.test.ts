import { setTimeout as delay } from "node:timers/promises";
import { signWebhook } from "@redial/bland";
import { type DialDependencies, dialLead, ensureDialSlots, intakeLead } from "@redial/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiHarness, startApi, WEBHOOK_SECRET } from "./api-harness.ts";

/**
 * WEBHOOK_APPLY_AFTER_ANSWER: a Bland delivery is answered `stored` once its event is durable and
 * its result is applied right after, once; a duplicate is still answered `duplicate`.
 */

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi({ app: { webhookApplyAfterAnswer: true } });
  await ensureDialSlots(api.runtime.ctx.db, 40);
  api.setNow("2026-12-02T17:00:00Z"); // Wednesday noon in New York
});
afterAll(async () => api.close());

const deps: DialDependencies = {
  dialer: {
    place: async ({ attemptId }) => ({ callId: `aa-${attemptId}` }),
    findPlacedCall: async () => undefined,
    getCall: async () => undefined,
    classify: (error) => ({ kind: "ambiguous", message: String(error) }),
  },
  limits: { maxConcurrent: 40, maxPerHour: null, maxPerDay: null },
};

async function dialed(phone: string) {
  const { lead } = await intakeLead(api.runtime.ctx, { phone, state: "NY", zip: "10001" });
  await dialLead(api.runtime.ctx, deps, lead.id);
  const attempt = await api.runtime.ctx.db
    .selectFrom("call_attempts")
    .select(["id", "bland_call_id"])
    .where("lead_id", "=", lead.id)
    .executeTakeFirstOrThrow();
  return { leadId: lead.id, attemptId: Number(attempt.id), callId: attempt.bland_call_id as string };
}

const voicemail = (call: { callId: string; attemptId: number }) =>
  JSON.stringify({
    call_id: call.callId,
    completed: true,
    status: "completed",
    answered_by: "voicemail",
    call_length: 0.5,
    metadata: { attempt_id: call.attemptId },
  });

async function post(body: string) {
  return api.app.inject({
    method: "POST",
    url: "/v1/webhooks/bland",
    headers: { "content-type": "application/json", "x-webhook-signature": signWebhook(body, WEBHOOK_SECRET) },
    payload: body,
  });
}

/** Every event of these calls, once each has its final result (or the deadline passed). */
async function finalEvents(callIds: string[], deadlineMs = 20_000) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const rows = await api.runtime.ctx.db
      .selectFrom("webhook_events")
      .select(["call_id", "result", "delivery_count"])
      .where("call_id", "in", callIds)
      .orderBy("id")
      .execute();
    if (rows.every((row) => row.result !== null) || Date.now() > deadline) return rows;
    await delay(20);
  }
}

describe("results applied after the answer", () => {
  it("a delivery is answered stored, then its result is applied once; the same bytes again answer duplicate", async () => {
    const call = await dialed("2125550801");
    const body = voicemail(call);
    const response = await post(body);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      received: true,
      result: "stored",
      call_id: call.callId,
      outcome: null,
    });
    expect(await finalEvents([call.callId])).toEqual([
      { call_id: call.callId, result: "processed", delivery_count: 1 },
    ]);
    const attempt = await api.runtime.ctx.db
      .selectFrom("call_attempts")
      .select(["state", "outcome"])
      .where("id", "=", call.attemptId)
      .executeTakeFirstOrThrow();
    expect(attempt).toEqual({ state: "ended", outcome: "VOICEMAIL" });
    expect((await post(body)).json()).toMatchObject({ result: "duplicate" });
    expect(await finalEvents([call.callId])).toEqual([
      { call_id: call.callId, result: "processed", delivery_count: 2 },
    ]);
  });

  it("twenty calls' deliveries at once, one of them twice: every event stored once and applied once", async () => {
    const calls = [];
    for (let i = 0; i < 20; i++) calls.push(await dialed(`21255509${String(i).padStart(2, "0")}`));
    const bodies = calls.map(voicemail);
    const responses = await Promise.all([...bodies, bodies[3] as string].map(post));
    expect(responses.map((r) => r.statusCode)).toEqual(responses.map(() => 200));
    const events = await finalEvents(calls.map((c) => c.callId));
    expect(events).toHaveLength(20);
    expect(events.every((e) => e.result === "processed")).toBe(true);
    expect(events.reduce((n, e) => n + e.delivery_count, 0)).toBe(21);
    const ended = await api.runtime.ctx.db
      .selectFrom("call_attempts")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where(
        "id",
        "in",
        calls.map((c) => c.attemptId),
      )
      .where("state", "=", "ended")
      .executeTakeFirstOrThrow();
    expect(Number(ended.n)).toBe(20);
  });
});
