/** setTimeout calls that can all be cancelled when the simulator closes. */
export class Timers {
  readonly #pending = new Set<NodeJS.Timeout>();

  after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#pending.delete(timer);
      fn();
    }, ms);
    this.#pending.add(timer);
  }

  /** Resolves after ms, or at clearAll (so hanging requests end when the server closes). */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(timer);
        this.#waiters.delete(resolve);
        resolve();
      }, ms);
      this.#pending.add(timer);
      this.#waiters.add(resolve);
    });
  }

  readonly #waiters = new Set<() => void>();

  /** Bumped by clearAll, so async work started before a reset can tell it is stale. */
  generation = 0;

  clearAll(): void {
    this.generation++;
    for (const timer of this.#pending) clearTimeout(timer);
    this.#pending.clear();
    for (const resolve of this.#waiters) resolve();
    this.#waiters.clear();
  }
}
