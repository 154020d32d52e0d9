import type { RedialContext } from "./context.ts";
import { applyBlandDelivery, type StoredBlandDelivery } from "./receive-bland-webhook.ts";

export interface ApplierOptions {
  /** Results applied at once at most (each holds a pool connection while it writes). */
  concurrency: number;
  /** Stored deliveries waiting at most; past it one is left pending for the pending-webhook-events cron. */
  maxWaiting: number;
}

/**
 * WEBHOOK_APPLY_AFTER_ANSWER: a delivery answered once its event is durable has its result applied
 * here, right after, a few at a time. One that fails is marked error on its event (as when it is
 * applied before the answer); one this process never gets to (it died, or too many were waiting)
 * stays pending and is applied by the pending-webhook-events cron: nothing is lost, only later.
 */
export class BlandDeliveryApplier {
  readonly #ctx: RedialContext;
  readonly #options: ApplierOptions;
  #waiting: StoredBlandDelivery[] = [];
  #running = 0;
  #idle: (() => void)[] = [];

  constructor(ctx: RedialContext, options: ApplierOptions) {
    this.#ctx = ctx;
    this.#options = options;
  }

  /** How many stored deliveries wait for their result to be applied (running ones included). */
  get backlog(): number {
    return this.#waiting.length + this.#running;
  }

  enqueue(stored: StoredBlandDelivery): void {
    if (stored.done) return;
    if (this.#waiting.length >= this.#options.maxWaiting) {
      this.#ctx.log.warn(
        { eventId: stored.delivery.eventId, waiting: this.#waiting.length },
        "too many webhook results waiting: this one is left to the pending-webhook-events cron",
      );
      return;
    }
    this.#waiting.push(stored);
    this.#next();
  }

  /** Resolves once nothing waits or runs (the API's close waits for it). */
  drained(): Promise<void> {
    if (this.backlog === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #next(): void {
    while (this.#running < this.#options.concurrency && this.#waiting.length > 0) {
      const stored = this.#waiting.shift() as StoredBlandDelivery;
      this.#running++;
      void applyBlandDelivery(this.#ctx, stored)
        .catch((error: unknown) =>
          this.#ctx.log.warn({ eventId: stored.delivery.eventId, err: error }, "webhook result not applied"),
        )
        .finally(() => {
          this.#running--;
          this.#next();
          if (this.backlog === 0) for (const resolve of this.#idle.splice(0)) resolve();
        });
    }
  }
}
