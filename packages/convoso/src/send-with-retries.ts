import type Bottleneck from "bottleneck";
import { ConvosoError, isRetryable } from "./convoso-error.ts";
import { type FormFields, type HttpSettings, sendConvosoRequest } from "./convoso-http.ts";

const MAX_BACKOFF_MS = 30_000;
/** A longer Retry-After is not waited out inside one call: the error goes to the caller (its queue retries later). */
const MAX_RETRY_AFTER_MS = 60_000;

export interface RetrySettings {
  maxRetries: number;
  baseMs: number;
  limiter: Bottleneck;
  /** Injected for tests; defaults to Math.random. */
  random?: () => number;
}

/**
 * Sends a request through the limiter (each attempt takes a slot), retrying 429, 5xx and network
 * failures up to maxRetries times with exponential backoff and jitter, never sooner than a
 * Retry-After the server sent (a Retry-After over a minute is thrown at once).
 */
export async function sendWithRetries(
  http: HttpSettings,
  retry: RetrySettings,
  path: string,
  fields: FormFields,
): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await retry.limiter.schedule(() => sendConvosoRequest(http, path, fields));
    } catch (error) {
      if (!shouldRetry(error, attempt, retry.maxRetries)) throw error;
      await delay(backoffDelay(attempt, retry.baseMs, error.retryAfterMs, retry.random ?? Math.random));
    }
  }
}

function shouldRetry(error: unknown, attempt: number, maxRetries: number): error is ConvosoError {
  if (!(error instanceof ConvosoError) || !isRetryable(error) || attempt >= maxRetries) return false;
  return (error.retryAfterMs ?? 0) <= MAX_RETRY_AFTER_MS;
}

/** Equal jitter over base·2^attempt (capped at 30 s): between half and all of it, but at least Retry-After. */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  retryAfterMs: number | null,
  random: () => number,
): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** attempt);
  const jittered = Math.round(ceiling / 2 + (random() * ceiling) / 2);
  return Math.max(retryAfterMs ?? 0, jittered);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
