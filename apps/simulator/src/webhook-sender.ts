import { signWebhook } from "@redial/bland";
import { request } from "undici";
import type { SimCall } from "./call-object.ts";
import type { WebhookDelivery as Delivery } from "./simulator-state.ts";
import { faultFires, type SimulatorState } from "./simulator-state.ts";

const SEND_TIMEOUT_MS = 10_000;

/**
 * Sends the ended call to its webhook as Bland does (JSON body, X-Webhook-Signature = HMAC hex
 * of those exact bytes), through the webhook faults: missing, duplicate, late, out of order.
 */
export function sendCallWebhook(state: SimulatorState, url: string, call: SimCall): void {
  const { faults, webhookDelayMs } = state.config;
  if (faultFires(state, "webhookMissing")) {
    state.webhooks.dropped++;
    state.events.emit("webhook-dropped", call.call_id);
    return;
  }
  const delivery: Delivery = {
    url,
    callId: call.call_id,
    body: JSON.stringify(call),
    generation: state.timers.generation,
  };
  const duplicate = faultFires(state, "webhookDuplicate");
  state.webhooks.pending += duplicate ? 2 : 1;
  state.timers.after(webhookDelayMs, () => enqueue(state, delivery));
  if (duplicate) {
    state.webhooks.duplicated++;
    state.timers.after(webhookDelayMs + faults.webhookDuplicate.delayMs, () => enqueue(state, delivery));
  }
}

/** Out-of-order fault: hold deliveries until a batch is full (or maxHoldMs), then send newest first. */
function enqueue(state: SimulatorState, delivery: Delivery): void {
  const { batch, maxHoldMs } = state.config.faults.webhookOutOfOrder;
  if (batch <= 1) return void deliver(state, delivery);
  const held = state.heldWebhooks;
  held.push(delivery);
  if (held.length === 1) state.timers.after(maxHoldMs, () => void flush(state));
  if (held.length >= batch) void flush(state);
}

/** Sends the held deliveries one after the other, newest first, so the receiver sees them reversed. */
async function flush(state: SimulatorState): Promise<void> {
  const held = state.heldWebhooks.splice(0);
  for (const delivery of held.reverse()) await deliver(state, delivery);
}

async function deliver(state: SimulatorState, delivery: Delivery): Promise<void> {
  state.webhooks.sent++;
  const signature = signWebhook(delivery.body, state.options.webhookSecret);
  const generation = delivery.generation;
  let reason = "";
  for (let attempt = 0; attempt <= state.config.webhookRetries; attempt++) {
    if (attempt > 0) await state.timers.wait(100 * 2 ** (attempt - 1));
    if (state.timers.generation !== generation) return; // reset or closed meanwhile
    const result = await post(delivery, signature);
    if (typeof result === "number" && result < 500) {
      return settle(state, delivery, result >= 200 && result < 300 ? result : undefined, `HTTP ${result}`);
    }
    reason = typeof result === "number" ? `HTTP ${result}` : result;
  }
  settle(state, delivery, undefined, reason);
}

async function post(delivery: Delivery, signature: string): Promise<number | string> {
  try {
    // undici's request, as our Bland client: fetch costs twice the CPU per request.
    const response = await request(delivery.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-webhook-signature": signature },
      body: delivery.body,
      headersTimeout: SEND_TIMEOUT_MS,
      bodyTimeout: SEND_TIMEOUT_MS,
    });
    await response.body.dump().catch(() => undefined);
    return response.statusCode;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function settle(state: SimulatorState, delivery: Delivery, status: number | undefined, reason: string): void {
  if (state.timers.generation !== delivery.generation) return;
  state.webhooks.pending--;
  if (status !== undefined) {
    state.webhooks.delivered++;
    state.events.emit("webhook-delivered", delivery.callId, status);
  } else {
    state.webhooks.failed++;
    state.events.emit("webhook-failed", delivery.callId, reason);
  }
}
