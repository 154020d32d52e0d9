/**
 * What went wrong talking to Bland, classified by what the caller may do next:
 * - rate_limited: not placed; retry after `retryAfterMs` (when Bland said) or with backoff.
 * - not_placed: the request never left (connection refused, DNS); safe to retry.
 * - ambiguous: 5xx, timeout or a socket reset after sending; the call MAY exist: reconcile with
 *   GET /v1/calls before retrying.
 * - rejected: Bland refused the request (4xx); fix the request, do not retry as is.
 * - not_found: no such call (404).
 * - unauthorized: the API key is wrong (401/403).
 */
export type BlandErrorCode =
  | "rate_limited"
  | "not_placed"
  | "ambiguous"
  | "rejected"
  | "not_found"
  | "unauthorized";

export interface BlandErrorDetails {
  status?: number | null;
  retryAfterMs?: number | null;
  cause?: unknown;
}

export class BlandError extends Error {
  override name = "BlandError";
  readonly code: BlandErrorCode;
  readonly status: number | null;
  readonly retryAfterMs: number | null;

  constructor(code: BlandErrorCode, message: string, details: BlandErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status ?? null;
    this.retryAfterMs = details.retryAfterMs ?? null;
  }
}

/** True when the request may be repeated without risking a second placed call. */
export function isSafeToRetry(error: BlandError): boolean {
  return error.code === "rate_limited" || error.code === "not_placed";
}
