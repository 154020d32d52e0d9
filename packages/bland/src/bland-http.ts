import { BlandError } from "./bland-error.ts";
import { parseRetryAfter } from "./retry-after.ts";

/** Network error codes that mean the request never reached Bland, so nothing was placed. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_NONAME",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

export interface HttpSettings {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  fetch: typeof fetch;
}

export interface HttpRequest {
  method: "GET" | "POST";
  path: string;
  query?: URLSearchParams;
  body?: unknown;
}

/** Sends one request and returns the parsed JSON body of a 2xx answer; anything else throws a BlandError. */
export async function sendBlandRequest(settings: HttpSettings, req: HttpRequest): Promise<unknown> {
  const url = buildUrl(settings.baseUrl, req);
  let response: Response;
  let text: string;
  try {
    response = await settings.fetch(url, {
      method: req.method,
      headers: {
        authorization: settings.apiKey,
        accept: "application/json",
        ...(req.body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    throw classifyTransportError(error, `${req.method} ${req.path}`, settings.timeoutMs);
  }
  if (response.status < 200 || response.status > 299) throw classifyHttpError(response, text);
  return parseJson(text, response.status);
}

function buildUrl(baseUrl: string, req: HttpRequest): string {
  const base = baseUrl.replace(/\/+$/, "");
  const query = req.query?.toString();
  return `${base}${req.path}${query ? `?${query}` : ""}`;
}

function parseJson(text: string, status: number): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new BlandError("ambiguous", `Bland answered ${status} with a body that is not JSON`, {
      status,
      cause,
    });
  }
}

/** Timeouts and resets after sending are ambiguous; refusals and DNS failures happened before sending. */
export function classifyTransportError(error: unknown, what: string, timeoutMs: number): BlandError {
  if (error instanceof BlandError) return error;
  if (isTimeout(error)) {
    return new BlandError("ambiguous", `${what} timed out after ${timeoutMs} ms; the call may exist`, {
      cause: error,
    });
  }
  const code = networkCode(error);
  if (code !== undefined && NOT_SENT_CODES.has(code)) {
    return new BlandError("not_placed", `${what} could not reach Bland (${code}); nothing was sent`, {
      cause: error,
    });
  }
  return new BlandError("ambiguous", `${what} failed after sending (${code ?? "network error"})`, {
    cause: error,
  });
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
}

/** The first "nothing was sent" code on the error or its causes (undici nests it; happy-eyeballs aggregates it). */
function networkCode(error: unknown): string | undefined {
  const codes = collectCodes(error, 0);
  return codes.find((c) => NOT_SENT_CODES.has(c)) ?? codes[0];
}

function collectCodes(error: unknown, depth: number): string[] {
  if (typeof error !== "object" || error === null || depth > 5) return [];
  const own = (error as { code?: unknown }).code;
  const inner = (error as { errors?: unknown }).errors;
  return [
    ...(typeof own === "string" ? [own] : []),
    ...(Array.isArray(inner) ? inner.flatMap((e) => collectCodes(e, depth + 1)) : []),
    ...collectCodes((error as { cause?: unknown }).cause, depth + 1),
  ];
}

export function classifyHttpError(response: Response, text: string): BlandError {
  const status = response.status;
  const message = `Bland answered ${status}: ${blandMessage(text)}`;
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    return new BlandError("rate_limited", message, { status, retryAfterMs });
  }
  if (status === 401 || status === 403)
    return new BlandError("unauthorized", `${message}; check the API key`, { status });
  if (status === 404) return new BlandError("not_found", message, { status });
  if (status >= 400 && status < 500) return new BlandError("rejected", message, { status });
  return new BlandError("ambiguous", `${message}; the call may exist`, { status });
}

/** Bland's `{status:'error', message, errors:[…]}` made readable; falls back to the raw text. */
export function blandMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; errors?: unknown };
    const parts = [typeof body.message === "string" ? body.message : undefined];
    if (Array.isArray(body.errors)) parts.push(...body.errors.map((e) => String(e)));
    const joined = parts.filter((p) => p !== undefined && p !== "").join("; ");
    return joined || text.slice(0, 200);
  } catch {
    return text.slice(0, 200) || "(empty body)";
  }
}
