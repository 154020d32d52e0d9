import { parseRetryAfter } from "@redial/retry-after";
import { applicationError, ConvosoError, httpError } from "./convoso-error.ts";

export interface HttpSettings {
  /** Already ends in /v1, without a trailing slash. */
  apiUrl: string;
  authToken: string;
  timeoutMs: number;
  fetch: typeof fetch;
}

/** Form fields of one request; undefined values are left out. */
export type FormFields = Record<string, string | number | undefined>;

/**
 * Sends one POST with a form body carrying auth_token and returns the parsed JSON of a successful
 * answer. A non-2xx answer, a `{success:false}` body or no answer at all throws a ConvosoError.
 */
export async function sendConvosoRequest(
  settings: HttpSettings,
  path: string,
  fields: FormFields,
): Promise<unknown> {
  let response: Response;
  let text: string;
  try {
    response = await settings.fetch(`${settings.apiUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: formBody(settings.authToken, fields),
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    text = await response.text();
  } catch (cause) {
    throw networkError(path, settings.timeoutMs, cause);
  }
  if (response.status < 200 || response.status > 299) {
    throw httpError(response.status, text, parseRetryAfter(response.headers.get("retry-after")));
  }
  return checkSuccess(parseJson(path, text, response.status), response.status);
}

/** The form: the fields, then auth_token (a field of that name cannot replace it). */
export function formBody(authToken: string, fields: FormFields): URLSearchParams {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) form.set(key, String(value));
  }
  form.set("auth_token", authToken);
  return form;
}

function parseJson(path: string, text: string, status: number): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ConvosoError("server", `Convoso answered ${path} with a body that is not JSON`, {
      status,
      cause,
    });
  }
}

/** Convoso reports application errors as HTTP 200 with `{success:false, code, text}`. */
function checkSuccess(body: unknown, status: number): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
  const { success, code, text } = body as { success?: unknown; code?: unknown; text?: unknown };
  if (success !== false && success !== "false") return body;
  throw applicationError(toNumber(code), describe(text), status);
}

function toNumber(value: unknown): number | null {
  if (typeof value !== "number" && typeof value !== "string") return null;
  const numeric = Number(value);
  return value !== "" && Number.isFinite(numeric) ? numeric : null;
}

function describe(text: unknown): string {
  if (typeof text === "string" && text !== "") return text;
  return text === undefined ? "(no text)" : JSON.stringify(text);
}

function networkError(path: string, timeoutMs: number, cause: unknown): ConvosoError {
  const timedOut = cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError");
  const reason = timedOut
    ? `timed out after ${timeoutMs} ms`
    : `failed (${errorCode(cause) ?? "network error"})`;
  return new ConvosoError("network", `Convoso request ${path} ${reason}`, { cause });
}

function errorCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; typeof e === "object" && e !== null && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
