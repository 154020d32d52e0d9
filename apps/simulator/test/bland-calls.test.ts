import { once } from "node:events";
import { verifyWebhookSignature } from "@redial/bland";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../src/index.ts";
import {
  blandClient,
  callRequest,
  configure,
  getJson,
  startTestSimulator,
  testPhone,
  WebhookReceiver,
} from "./helpers.ts";

let sim: RunningSimulator;
let receiver: WebhookReceiver;

beforeAll(async () => {
  sim = await startTestSimulator();
  receiver = await new WebhookReceiver().start();
});
afterAll(async () => {
  await sim.close();
  await receiver.stop();
});
beforeEach(async () => {
  await fetch(`${sim.url}/_sim/reset`, { method: "POST" });
  receiver.received.length = 0;
});

async function post(body: unknown, key = "sim-bland-key") {
  const response = await fetch(`${sim.url}/v1/calls`, {
    method: "POST",
    headers: { authorization: key, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("POST /v1/calls", () => {
  it("queues a call with Bland's success shape", async () => {
    const { status, body } = await post(callRequest(receiver.url));
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "success", message: "Call successfully queued.", batch_id: null });
    expect(body.call_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuses a wrong key with 401 and Bland's error shape", async () => {
    const { status, body } = await post(callRequest(receiver.url), "wrong");
    expect(status).toBe(401);
    expect(body).toMatchObject({ status: "error", errors: [expect.any(String)] });
  });

  it("accepts 'Bearer <key>' too", async () => {
    expect((await post(callRequest(receiver.url), "Bearer sim-bland-key")).status).toBe(200);
  });

  it("refuses a phone number that is not E.164-ish", async () => {
    const { status, body } = await post(callRequest(receiver.url, "12345"));
    expect(status).toBe(400);
    expect(body.message).toMatch(/phone_number/);
  });

  it("refuses a request with neither task nor pathway_id", async () => {
    const { status } = await post({ phone_number: testPhone(), metadata: {}, webhook: receiver.url });
    expect(status).toBe(400);
  });

  it("assumes +1 for a ten-digit number", async () => {
    await configure(sim, { callDurationMs: 60_000 });
    const { body } = await post(callRequest(receiver.url, "(555) 201-0001"));
    const call = await blandClient(sim).getCall(String(body.call_id));
    expect(call.to).toBe("+15552010001");
  });
});

describe("a call's life", () => {
  it("is started, not completed, with a null status while in progress", async () => {
    await configure(sim, { callDurationMs: 60_000 });
    const { callId } = await blandClient(sim).createCall(callRequest(receiver.url));
    const call = await blandClient(sim).getCall(callId);
    expect(call).toMatchObject({ queue_status: "started", completed: false, status: null });
    const stats = await getJson<{ calls: { inProgress: number } }>(`${sim.url}/_sim/stats`);
    expect(stats.calls.inProgress).toBe(1);
  });

  it("ends after the call duration and posts the full call, signed over the exact bytes, echoing metadata", async () => {
    await configure(sim, { callDurationMs: 20, callDurationJitterMs: 0 });
    const request = callRequest(receiver.url, testPhone(), { metadata: { lead_id: "L1", attempt_id: "A1" } });
    const { callId } = await blandClient(sim).createCall(request);
    const [hook] = await receiver.waitFor(1);
    expect(
      verifyWebhookSignature(hook!.raw, hook!.headers["x-webhook-signature"] as string, "sim-webhook-secret"),
    ).toBe(true);
    expect(verifyWebhookSignature(hook!.raw, hook!.headers["x-webhook-signature"] as string, "other")).toBe(
      false,
    );
    expect(hook!.headers["content-type"]).toBe("application/json");
    expect(hook!.body).toMatchObject({
      call_id: callId,
      completed: true,
      metadata: { lead_id: "L1", attempt_id: "A1" },
    });
    expect(await blandClient(sim).getCall(callId)).toEqual(hook!.body);
  });

  it("POST /_sim/calls/:id/complete ends a call now with the outcome asked for", async () => {
    await configure(sim, { callDurationMs: 60_000 });
    const { callId } = await blandClient(sim).createCall(callRequest(receiver.url));
    const response = await fetch(`${sim.url}/_sim/calls/${callId}/complete`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ outcome: "dnc" }),
    });
    expect(response.status).toBe(200);
    const [hook] = await receiver.waitFor(1);
    expect(hook!.body.pathway_tags).toEqual([expect.objectContaining({})]);
    expect(JSON.stringify(hook!.body.pathway_tags)).toContain("DNC");
  });

  it("answered_by stays null unless answered_by_enabled was sent", async () => {
    const phone = testPhone();
    await configure(sim, { callDurationMs: 1, outcomeByPhone: { [phone]: "voicemail" } });
    await blandClient(sim).createCall(callRequest(receiver.url, phone));
    const [first] = await receiver.waitFor(1);
    expect(first!.body.answered_by).toBeNull();
    await blandClient(sim).createCall(callRequest(receiver.url, phone, { answered_by_enabled: true }));
    const hooks = await receiver.waitFor(2);
    expect(hooks[1]!.body.answered_by).toBe("voicemail");
  });
});

describe("outcomes", () => {
  async function endAs(outcome: string): Promise<Record<string, unknown>> {
    const phone = testPhone();
    await configure(sim, { callDurationMs: 1, outcomeByPhone: { [phone]: outcome } as never });
    const ended = once(sim.state.events, "call-ended");
    await blandClient(sim).createCall(callRequest(receiver.url, phone, { answered_by_enabled: true }));
    const [call] = await ended;
    return call as unknown as Record<string, unknown>;
  }

  const tagOf = (call: Record<string, unknown>) =>
    (call.pathway_tags as Array<string | { name: string }>).map((t) => (typeof t === "string" ? t : t.name));

  it("a sale is a completed human call tagged SALE, priced at least $0.015", async () => {
    const call = await endAs("sale");
    expect(call).toMatchObject({ status: "completed", answered_by: "human", completed: true });
    expect(tagOf(call)).toEqual(["SALE"]);
    expect(call.price as number).toBeGreaterThanOrEqual(0.015);
    expect(call.call_length as number).toBeGreaterThan(1);
  });

  it("a transfer carries transferred_to and warm_transfer_call MERGED", async () => {
    const call = await endAs("transferred");
    expect(call.warm_transfer_call).toEqual({ state: "MERGED" });
    expect(call.transferred_to).toMatch(/^\+1/);
  });

  it("a callback sets variables.callback_time some minutes ahead", async () => {
    const call = await endAs("callback");
    const at = Date.parse((call.variables as { callback_time: string }).callback_time);
    expect(at).toBeGreaterThan(Date.now() + 10 * 60_000);
  });

  it("a bad number fails with 'Number not in service' and costs the minimum", async () => {
    const call = await endAs("failed_bad_number");
    expect(call).toMatchObject({
      status: "failed",
      error_message: "Number not in service",
      call_length: 0,
      price: 0.015,
    });
  });

  it("no answer and busy have Bland's statuses", async () => {
    expect(await endAs("no_answer")).toMatchObject({ status: "no-answer", answered_by: "no-answer" });
    expect(await endAs("busy")).toMatchObject({ status: "busy" });
  });

  it("the outcome mix follows the configured weights", async () => {
    await configure(sim, { callDurationMs: 1, outcomeWeights: { busy: 1 } });
    const ended = once(sim.state.events, "call-ended");
    await blandClient(sim).createCall(callRequest(receiver.url));
    expect((await ended)[1]).toBe("busy");
  });
});
