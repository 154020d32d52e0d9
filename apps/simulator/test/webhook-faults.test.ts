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
  WebhookReceiver,
} from "./helpers.ts";

let sim: RunningSimulator;
let receiver: WebhookReceiver;

beforeAll(async () => {
  sim = await startTestSimulator({ historyCalls: 0 });
  receiver = await new WebhookReceiver().start();
});
afterAll(async () => {
  await sim.close();
  await receiver.stop();
});
beforeEach(async () => {
  await fetch(`${sim.url}/_sim/reset`, { method: "POST" });
  receiver.received.length = 0;
  receiver.status = 200;
  await configure(sim, { callDurationMs: 60_000 });
});

async function placeAndEnd(): Promise<string> {
  const { callId } = await blandClient(sim).createCall(callRequest(receiver.url));
  await fetch(`${sim.url}/_sim/calls/${callId}/complete`, { method: "POST" });
  return callId;
}

describe("webhook faults", () => {
  it("a duplicate is the same signed bytes twice", async () => {
    await configure(sim, { faults: { webhookDuplicate: { next: 1 } } });
    const callId = await placeAndEnd();
    const [a, b] = await receiver.waitFor(2);
    expect(a!.raw.equals(b!.raw)).toBe(true);
    expect(a!.body.call_id).toBe(callId);
    for (const hook of [a!, b!]) {
      expect(
        verifyWebhookSignature(hook.raw, hook.headers["x-webhook-signature"] as string, "sim-webhook-secret"),
      ).toBe(true);
    }
    expect(
      (await getJson<{ webhooks: { duplicated: number } }>(`${sim.url}/_sim/stats`)).webhooks.duplicated,
    ).toBe(1);
  });

  it("a missing webhook is never sent, yet GET shows the call completed", async () => {
    await configure(sim, { faults: { webhookMissing: { next: 1 } } });
    const dropped = once(sim.state.events, "webhook-dropped");
    const callId = await placeAndEnd();
    expect((await dropped)[0]).toBe(callId);
    expect(await blandClient(sim).getCall(callId)).toMatchObject({ completed: true });
    // a later call's webhook arrives, and it is the only one
    await placeAndEnd();
    await receiver.waitFor(1);
    expect(receiver.received.map((h) => h.body.call_id)).not.toContain(callId);
    expect((await getJson<{ webhooks: { dropped: number } }>(`${sim.url}/_sim/stats`)).webhooks.dropped).toBe(
      1,
    );
  });

  it("a late webhook arrives no sooner than the configured delay", async () => {
    await configure(sim, { webhookDelayMs: 300 });
    const ended = Date.now();
    await placeAndEnd();
    const [hook] = await receiver.waitFor(1);
    expect(hook!.at - ended).toBeGreaterThanOrEqual(290);
  });

  it("out-of-order: a batch of webhooks is delivered newest first", async () => {
    await configure(sim, { faults: { webhookOutOfOrder: { batch: 3, maxHoldMs: 5000 } } });
    const ids = [await placeAndEnd(), await placeAndEnd(), await placeAndEnd()];
    await receiver.waitFor(3);
    expect(receiver.received.map((h) => h.body.call_id)).toEqual([...ids].reverse());
  });

  it("out-of-order holds a lone webhook no longer than maxHoldMs", async () => {
    await configure(sim, { faults: { webhookOutOfOrder: { batch: 5, maxHoldMs: 50 } } });
    await placeAndEnd();
    await receiver.waitFor(1);
  });

  it("a receiver answering 500 gets the configured retries, then the webhook counts as failed", async () => {
    receiver.status = 500;
    await configure(sim, { webhookRetries: 2 });
    const failed = once(sim.state.events, "webhook-failed");
    await placeAndEnd();
    await failed;
    expect(receiver.received).toHaveLength(3);
    expect((await getJson<{ webhooks: { failed: number } }>(`${sim.url}/_sim/stats`)).webhooks.failed).toBe(
      1,
    );
  });
});
