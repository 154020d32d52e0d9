/** Rule breaks the simulator can see from the outside: what the dialer must never do. */
export type ViolationKind = "min_gap" | "concurrency" | "hourly";

export interface Violation {
  kind: ViolationKind;
  at: string;
  phone: string;
  detail: string;
}

const KEPT = 500;
const HOUR_MS = 3_600_000;

export interface CapSettings {
  minGapSeconds: number;
  concurrent: number | null;
  perHour: number | null;
}

/** Tracks placed calls per phone and per sliding hour, and records every violation it sees. */
export class ViolationTracker {
  readonly counts: Record<ViolationKind, number> = { min_gap: 0, concurrency: 0, hourly: 0 };
  readonly recent: Violation[] = [];
  readonly #lastCallAt = new Map<string, number>();
  #placedTimes: number[] = [];
  #head = 0;

  /** Checks a new call request against the caps; returns the kinds it breaks (already recorded). */
  checkCaps(phone: string, inProgress: number, now: number, caps: CapSettings): ViolationKind[] {
    const broken: ViolationKind[] = [];
    if (caps.concurrent !== null && inProgress >= caps.concurrent) {
      broken.push(
        this.#record("concurrency", phone, now, `${inProgress} in progress, cap ${caps.concurrent}`),
      );
    }
    const lastHour = this.placedInLastHour(now);
    if (caps.perHour !== null && lastHour >= caps.perHour) {
      broken.push(
        this.#record("hourly", phone, now, `${lastHour} placed in the last hour, cap ${caps.perHour}`),
      );
    }
    return broken;
  }

  /** Records a placed call; reports a min-gap violation when the number was called too recently. */
  recordPlaced(phone: string, now: number, minGapSeconds: number): void {
    const last = this.#lastCallAt.get(phone);
    if (last !== undefined && now - last < minGapSeconds * 1000) {
      const gap = ((now - last) / 1000).toFixed(1);
      this.#record("min_gap", phone, now, `called again after ${gap} s, minimum ${minGapSeconds} s`);
    }
    this.#lastCallAt.set(phone, now);
    this.#placedTimes.push(now);
  }

  placedInLastHour(now: number): number {
    while (this.#head < this.#placedTimes.length && now - (this.#placedTimes[this.#head] ?? now) >= HOUR_MS) {
      this.#head++;
    }
    if (this.#head > 4096) {
      this.#placedTimes = this.#placedTimes.slice(this.#head);
      this.#head = 0;
    }
    return this.#placedTimes.length - this.#head;
  }

  #record(kind: ViolationKind, phone: string, now: number, detail: string): ViolationKind {
    this.counts[kind]++;
    this.recent.push({ kind, at: new Date(now).toISOString(), phone, detail });
    if (this.recent.length > KEPT) this.recent.splice(0, this.recent.length - KEPT);
    return kind;
  }
}
