import { pino } from "pino";

/**
 * What never reaches a log line: secrets by path (pino `redact`), secrets in a logged URL's query
 * string (`?token=`, `?api_key=`…), and phone numbers anywhere in a logged string (a message, an
 * error text such as PostgreSQL's "Failing row contains (…, +14155550199, …)"), masked to their
 * last 4 digits.
 */
export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-api-key"]',
  'req.headers["x-webhook-signature"]',
  'req.headers["x-webhook-token"]',
  "*.apiKey",
  "*.api_key",
  "*.auth_token",
  "*.authToken",
  "*.token",
  "*.secret",
  "*.password",
  "*.signature",
  "config.BLAND_API_KEY",
  "config.BLAND_WEBHOOK_SECRET",
  "config.CONVOSO_AUTH_TOKEN",
  "config.CONVOSO_WEBHOOK_TOKEN",
  "config.API_KEYS",
  "config.DATABASE_URL",
];

/** Query-string names whose values are masked in a logged URL. */
const SECRET_PARAM = /token|key|secret|signature|sig|password|passwd|auth/i;

/** A US phone number as people and systems write it: 10 digits, optional +1 / 1, separators. */
const PHONE = /(?<![\dA-Za-z])(?:\+?1[\s.-]?)?\(?[2-9]\d{2}\)?[\s.-]?\d{3}[\s.-]?(\d{4})(?!\d)/g;

/** Every phone number in `text` as `***-***-0199`. */
export function maskPhones(text: string): string {
  return text.replace(PHONE, (_match, last4: string) => `***-***-${last4}`);
}

/** A URL with its secret query parameters' values replaced and its phones masked. */
export function maskUrl(url: string): string {
  const queryAt = url.indexOf("?");
  if (queryAt < 0) return maskPhones(url);
  const masked = url
    .slice(queryAt + 1)
    .split("&")
    .map((pair) => {
      const name = pair.split("=", 1)[0] ?? "";
      return SECRET_PARAM.test(safeDecode(name)) ? `${name}=[redacted]` : pair;
    })
    .join("&");
  return maskPhones(`${url.slice(0, queryAt)}?${masked}`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A copy of a log value whose strings have their phones masked: plain objects, arrays and errors
 * are walked (depth-bounded: logs are small); any other object (Fastify's request and reply) is
 * left to its serializer.
 */
export function maskValue(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return maskPhones(value);
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return maskEntries(pino.stdSerializers.err(value), depth);
  if (Array.isArray(value)) return value.map((item) => maskValue(item, depth + 1));
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  return maskEntries(value, depth);
}

function maskEntries(value: object, depth: number): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskValue(item, depth + 1)]));
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  hostname?: string;
  ip?: string;
  socket?: { remoteAddress?: string; remotePort?: number };
}

/** Serializers for Fastify's `req` (its URL masked) and for errors (their texts masked). */
export const redactingSerializers = {
  req: (req: LoggedRequest) => ({
    method: req.method,
    url: maskUrl(req.url ?? ""),
    host: req.host ?? req.hostname,
    remoteAddress: req.ip ?? req.socket?.remoteAddress,
    remotePort: req.socket?.remotePort,
  }),
  err: (error: unknown) => maskValue(error),
  error: (error: unknown) => maskValue(error),
};
