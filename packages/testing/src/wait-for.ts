import { setTimeout as delay } from "node:timers/promises";

/**
 * Poll `predicate` until it holds, or fail naming `what` (and, with `explain`, the state that
 * kept it from holding) at the deadline. Never a fixed sleep: the wait ends as soon as it holds.
 */
export async function waitFor(
  predicate: () => Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
  options: { everyMs?: number; explain?: () => Promise<string> } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate().catch(() => false)) return;
    if (Date.now() > deadline) {
      const state = options.explain ? `: ${await options.explain().catch(String)}` : "";
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${state}`);
    }
    await delay(options.everyMs ?? 50);
  }
}
