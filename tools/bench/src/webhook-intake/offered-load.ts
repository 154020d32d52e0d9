import { setTimeout as delay } from "node:timers/promises";
import type { Pool } from "undici";
import type { Delivery } from "./deliveries.ts";

export interface StepResult {
  /** Deliveries offered per second (open loop: sent on schedule whatever the answers). */
  offered: number;
  /** Answered per second over the step (first send to last answer). */
  achieved: number;
  sent: number;
  ok: number;
  duplicatesAnswered: number;
  failed: number;
  firstFailure: string | undefined;
  latencies: number[];
  /** The step ran out of open calls before its end. */
  exhausted: boolean;
  /** Events stored without their result yet at the step's end (set by the caller). */
  pending?: number;
}

/**
 * Offer `rate` deliveries per second for `seconds`, open loop: each is sent at its scheduled time
 * (at most `maxInFlight` waiting on the pool at once; beyond it the step fails), and its latency is
 * counted from that time to its answer, so a server falling behind shows as latency, not as a
 * slower offer (no coordinated omission).
 */
export async function offerLoad(
  pool: Pool,
  next: () => Delivery | undefined,
  rate: number,
  seconds: number,
  maxInFlight: number,
): Promise<StepResult> {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  const result = {
    sent: 0,
    ok: 0,
    duplicatesAnswered: 0,
    failed: 0,
    firstFailure: undefined as string | undefined,
  };
  let inFlight = 0;
  let exhausted = false;
  const pending: Promise<void>[] = [];
  const start = performance.now();
  const send = async (delivery: Delivery, scheduled: number) => {
    inFlight++;
    try {
      const response = await pool.request({
        method: "POST",
        path: "/v1/webhooks/bland",
        headers: { "content-type": "application/json", "x-webhook-signature": delivery.signature },
        body: delivery.body,
      });
      const text = await response.body.text();
      latencies.push(performance.now() - scheduled);
      if (response.statusCode === 200) {
        result.ok++;
        if (text.includes('"result":"duplicate"')) result.duplicatesAnswered++;
      } else fail(`HTTP ${response.statusCode} ${text.slice(0, 200)}`);
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
    } finally {
      inFlight--;
    }
  };
  const fail = (why: string) => {
    result.failed++;
    result.firstFailure ??= why;
  };
  for (let i = 0; i < total; i++) {
    const scheduled = start + (i * 1000) / rate;
    const wait = scheduled - performance.now();
    if (wait > 1) await delay(wait);
    if (inFlight >= maxInFlight) {
      fail(`more than ${maxInFlight} deliveries waiting for an answer`);
      break;
    }
    const delivery = next();
    if (!delivery) {
      exhausted = true;
      break;
    }
    result.sent++;
    pending.push(send(delivery, scheduled));
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  return { offered: rate, achieved: result.ok / elapsed, latencies, exhausted, ...result };
}

/** The q-quantile (0..1) of the values, nearest rank. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}
