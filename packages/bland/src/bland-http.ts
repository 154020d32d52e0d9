import { parseRetryAfter } from "@redial/retry-after";
import { Agent, type Dispatcher, request } from "undici";
import { BlandError } from "./bland-error.ts";

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
  /** The connection pool the requests go through (keep-alive; one per client). */
  dispatcher: Dispatcher;
}

export interface HttpRequest {
  method: "GET" | "POST";
  path: string;
  query?: URLSearchParams;
  body?: unknown;
}

/** What a non-2xx answer is classified from. */
export interface HttpAnswer {
  status: number;
  retryAfter: string | null;
}

/**
 * Sends one request and returns the parsed JSON body of a 2xx answer; anything else throws a BlandError.
 * undici's `request` rather than `fetch`: the same client without the WHATWG stream layer, measured
 * at less than half the CPU per request here (every dial is one request).
 */
export async function sendBlandRequest(settings: HttpSettings, req: HttpRequest): Promise<unknown> {
  const url = buildUrl(settings.baseUrl, req);
  let answer: HttpAnswer;
  let text: string;
  try {
    const response = await request(url, {
      method: req.method,
      dispatcher: settings.dispatcher,
      headers: {
        authorization: settings.apiKey,
        accept: "application/json",
        ...(req.body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      headersTimeout: settings.timeoutMs,
      bodyTimeout: settings.timeoutMs,
    });
    const retryAfter = response.headers["retry-after"];
    answer = {
      status: response.statusCode,
      retryAfter: (Array.isArray(retryAfter) ? retryAfter[0] : retryAfter) ?? null,
    };
    text = await response.body.text();
  } catch (error) {
    throw classifyTransportError(error, `${req.method} ${req.path}`, settings.timeoutMs);
  }
  if (answer.status < 200 || answer.status > 299) throw classifyHttpError(answer, text);
  return parseJson(text, answer.status);
}

/** A keep-alive pool for one client's requests. */
export function createDispatcher(): Dispatcher {
  return new Agent({ keepAliveTimeout: 10_000, connections: 64 });
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

/** undici's headers/body timeouts (after the request left), and an aborted signal. */
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

function isTimeout(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    error.name === "TimeoutError" ||
    error.name === "AbortError" ||
    (typeof code === "string" && TIMEOUT_CODES.has(code))
  );
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

export function classifyHttpError(response: HttpAnswer, text: string): BlandError {
  const status = response.status;
  const message = `Bland answered ${status}: ${blandMessage(text)}`;
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.retryAfter);
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
