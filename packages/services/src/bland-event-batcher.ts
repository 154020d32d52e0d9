import { type BlandEventInput, type Db, type StoredBlandEvent, storeBlandEvents } from "@redial/db";

/** Where a webhook delivery is stored before it is answered. */
export interface BlandEventStore {
  store(event: BlandEventInput, since: Date): Promise<StoredBlandEvent>;
}

/** One statement, one commit per delivery (what the tests and the pending cron use). */
export function singleEventStore(db: Db): BlandEventStore {
  return {
    store: async (event, since) => (await storeBlandEvents(db, [event], since))[0] as StoredBlandEvent,
  };
}

interface Waiting {
  event: BlandEventInput;
  since: Date;
  resolve(stored: StoredBlandEvent): void;
  reject(error: unknown): void;
}

export interface BatcherOptions {
  /** Deliveries per statement at most. */
  maxBatch: number;
  /** Statements running at once at most (each holds a pool connection). */
  maxInFlight: number;
}

/**
 * The webhook intake's group commit: deliveries that arrive while a store is running wait for it
 * and are then stored together, in one statement and one commit (storeBlandEvents), and each is
 * answered only once that commit returned — never before its row is durable. Nothing waits on a
 * timer: a delivery arriving alone is stored at once. Two deliveries of the same bytes never share
 * a statement (the second waits for the next one). When a statement fails, each of its deliveries
 * is stored again on its own, so one bad event fails alone and the others are stored and answered.
 */
export class BlandEventBatcher implements BlandEventStore {
  readonly #db: Db;
  readonly #options: BatcherOptions;
  #waiting: Waiting[] = [];
  #running = 0;

  constructor(db: Db, options: BatcherOptions) {
    this.#db = db;
    this.#options = options;
  }

  store(event: BlandEventInput, since: Date): Promise<StoredBlandEvent> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ event, since, resolve, reject });
      this.#drain();
    });
  }

  #drain(): void {
    while (this.#running < this.#options.maxInFlight && this.#waiting.length > 0) {
      const batch = this.#take();
      this.#running++;
      void this.#write(batch).finally(() => {
        this.#running--;
        this.#drain();
      });
    }
  }

  /** The oldest waiting deliveries, up to maxBatch, no two with the same body. */
  #take(): Waiting[] {
    const batch: Waiting[] = [];
    const bodies = new Set<string>();
    const left: Waiting[] = [];
    for (const waiting of this.#waiting) {
      const body = waiting.event.sha256.toString("hex");
      if (batch.length < this.#options.maxBatch && !bodies.has(body)) {
        bodies.add(body);
        batch.push(waiting);
      } else left.push(waiting);
    }
    this.#waiting = left;
    return batch;
  }

  async #write(batch: Waiting[]): Promise<void> {
    try {
      // The oldest delivery's history start: every reading of the statement covers at least its own.
      const since = new Date(Math.min(...batch.map((w) => w.since.getTime())));
      const stored = await storeBlandEvents(
        this.#db,
        batch.map((w) => w.event),
        since,
      );
      for (const [i, waiting] of batch.entries()) waiting.resolve(stored[i] as StoredBlandEvent);
    } catch (error) {
      if (batch.length === 1) {
        (batch[0] as Waiting).reject(error);
        return;
      }
      // One bad event must not fail the others: each on its own.
      await Promise.all(
        batch.map(async (waiting) => {
          try {
            waiting.resolve(
              (await storeBlandEvents(this.#db, [waiting.event], waiting.since))[0] as StoredBlandEvent,
            );
          } catch (single) {
            waiting.reject(single);
          }
        }),
      );
    }
  }
}
