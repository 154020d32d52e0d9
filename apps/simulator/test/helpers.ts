import { EventEmitter, once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createBlandClient } from "@redial/bland";
import {
  type RunningSimulator,
  type SimulatorConfigInput,
  type SimulatorOptions,
  startSimulator,
} from "../src/index.ts";

export const HISTORY_FROM = "2025-01-01T00:00:00.000Z";
export const HISTORY_TO = "2025-01-31T00:00:00.000Z";

/** A simulator with a small fixed history (tests override what they need). */
export function startTestSimulator(opts: Partial<SimulatorOptions> = {}): Promise<RunningSimulator> {
  return startSimulator({ historyCalls: 500, historyFrom: HISTORY_FROM, historyTo: HISTORY_TO, ...opts });
}

export function blandClient(sim: RunningSimulator, timeoutMs = 5000) {
  return createBlandClient({ baseUrl: sim.url, apiKey: "sim-bland-key", timeoutMs, readRetryBaseMs: 10 });
}

export async function configure(sim: RunningSimulator, patch: SimulatorConfigInput): Promise<void> {
  const response = await fetch(`${sim.url}/_sim/config`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(patch),
  });
  if (!response.ok) throw new Error(`PUT /_sim/config ${response.status}: ${await response.text()}`);
}

export async function getJson<T = Record<string, unknown>>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  return (await response.json()) as T;
}

export interface ReceivedWebhook {
  raw: Buffer;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  at: number;
}

/** A webhook endpoint that keeps every delivery and emits "webhook" for each. */
export class WebhookReceiver extends EventEmitter<{ webhook: [ReceivedWebhook] }> {
  readonly received: ReceivedWebhook[] = [];
  url = "";
  status = 200;
  #server: Server | undefined;

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const raw = Buffer.concat(chunks);
        const hook = { raw, headers: req.headers, body: JSON.parse(raw.toString("utf8")), at: Date.now() };
        this.received.push(hook);
        res.writeHead(this.status).end();
        this.emit("webhook", hook);
      });
    });
    this.#server.listen(0, "127.0.0.1");
    await once(this.#server, "listening");
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/webhooks/bland`;
    return this;
  }

  /** Resolves when `count` deliveries have arrived in total, or fails after the deadline. */
  async waitFor(count: number, deadlineMs = 5000): Promise<ReceivedWebhook[]> {
    const deadline = AbortSignal.timeout(deadlineMs);
    while (this.received.length < count) await once(this, "webhook", { signal: deadline });
    return this.received;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise((resolve) => this.#server?.close(resolve));
  }
}

let phoneCounter = 1_000_000;

/** A fresh test number (555 exchange, never a history phone). */
export function testPhone(): string {
  phoneCounter++;
  return `+1555${String(phoneCounter).padStart(7, "0")}`;
}

export function callRequest(webhook: string, phone = testPhone(), extra: Record<string, unknown> = {}) {
  return {
    phone_number: phone,
    task: "Sell the thing",
    metadata: { attempt_id: `a-${phone}` },
    webhook,
    ...extra,
  };
}
