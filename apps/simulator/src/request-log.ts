/** One HTTP request the simulator answered (or that the client abandoned). */
export interface RecordedRequest {
  seq: number;
  at: string;
  method: string;
  url: string;
  route: string;
  status: number | "aborted";
  durationMs: number;
  body: unknown;
}

/** The last `capacity` requests, oldest first; older ones are dropped. */
export class RequestLog {
  readonly #capacity: number;
  #items: RecordedRequest[] = [];
  #seq = 0;

  constructor(capacity: number) {
    this.#capacity = Math.max(1, capacity);
  }

  add(entry: Omit<RecordedRequest, "seq">): void {
    this.#items.push({ seq: ++this.#seq, ...entry });
    if (this.#items.length > this.#capacity * 1.25) this.#items = this.#items.slice(-this.#capacity);
  }

  list(filter: { route?: string; method?: string; limit?: number } = {}): RecordedRequest[] {
    const matching = this.#items
      .slice(-this.#capacity)
      .filter((r) => filter.route === undefined || r.route === filter.route || r.url.startsWith(filter.route))
      .filter((r) => filter.method === undefined || r.method === filter.method.toUpperCase());
    return filter.limit === undefined ? matching : matching.slice(-filter.limit);
  }

  clear(): void {
    this.#items = [];
  }
}
