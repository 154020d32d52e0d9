/**
 * What went wrong talking to Convoso, classified by what the caller may do next:
 * - auth: the auth token is wrong (HTTP 401/403 or code 5001); fix CONVOSO_AUTH_TOKEN, do not retry.
 * - not_found: no such lead or record (HTTP 404 or code 6001).
 * - invalid: Convoso refused the request as malformed (other 4xx, code 6050 invalid status);
 *   fix the request (for a status, check the outcome→status map against /status/search).
 * - rate_limited: HTTP 429 after every retry; lower requestsPerSecond.
 * - server: HTTP 5xx after every retry, or an answer that is not understood.
 * - network: the request never got an answer (refused, DNS, timeout) after every retry.
 * - application: any other `{success:false, code, text}` in an HTTP 200; see convosoCode.
 */
export type ConvosoErrorCode =
  | "auth"
  | "not_found"
  | "invalid"
  | "rate_limited"
  | "server"
  | "network"
  | "application";

export interface ConvosoErrorDetails {
  convosoCode?: number | null;
  status?: number | null;
  retryAfterMs?: number | null;
  cause?: unknown;
}

export class ConvosoError extends Error {
  override name = "ConvosoError";
  readonly code: ConvosoErrorCode;
  /** The `code` of a `{success:false}` body (5001, 6001, 6008, 6050…); null for HTTP and network errors. */
  readonly convosoCode: number | null;
  /** The HTTP status, null when no answer arrived. */
  readonly status: number | null;
  /** What Retry-After asked for, when the server sent it. */
  readonly retryAfterMs: number | null;

  constructor(code: ConvosoErrorCode, message: string, details: ConvosoErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.convosoCode = details.convosoCode ?? null;
    this.status = details.status ?? null;
    this.retryAfterMs = details.retryAfterMs ?? null;
  }
}

/** Convoso's application codes that we know how to classify; the rest are `application`. */
const KNOWN_CODES: ReadonlyMap<number, ConvosoErrorCode> = new Map([
  [5001, "auth"],
  [6001, "not_found"],
  [6050, "invalid"],
]);

/** The error for a `{success:false, code, text}` body. */
export function applicationError(convosoCode: number | null, text: string, status: number): ConvosoError {
  const code = (convosoCode === null ? undefined : KNOWN_CODES.get(convosoCode)) ?? "application";
  return new ConvosoError(
    code,
    `Convoso refused the request (code ${convosoCode ?? "?"}): ${text}${hint(code)}`,
    {
      convosoCode,
      status,
    },
  );
}

/** The error for a non-2xx HTTP answer. */
export function httpError(status: number, text: string, retryAfterMs: number | null): ConvosoError {
  const code = httpErrorCode(status);
  const message = `Convoso answered HTTP ${status}: ${text.slice(0, 200) || "(empty body)"}${hint(code)}`;
  return new ConvosoError(code, message, { status, retryAfterMs });
}

function httpErrorCode(status: number): ConvosoErrorCode {
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "not_found";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server";
  return "invalid";
}

/** True for the errors worth another attempt: 429, 5xx and no answer at all (not a 200 we could not read). */
export function isRetryable(error: ConvosoError): boolean {
  switch (error.code) {
    case "rate_limited":
    case "server":
    case "network":
      return error.convosoCode === null && error.status !== 200;
    case "auth":
    case "not_found":
    case "invalid":
    case "application":
      return false;
    default:
      return assertNever(error.code);
  }
}

function hint(code: ConvosoErrorCode): string {
  switch (code) {
    case "auth":
      return "; check CONVOSO_AUTH_TOKEN";
    case "invalid":
      return "; check the request (a status must be an abbreviation listed by /status/search)";
    case "rate_limited":
      return "; lower the Convoso requests per second";
    case "not_found":
    case "server":
    case "network":
    case "application":
      return "";
    default:
      return assertNever(code);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unhandled Convoso error code: ${String(value)}`);
}
