import { envBoolean } from "@redial/config";
import { DEFAULT_REPORT_MAX_DAYS } from "@redial/services";
import { z } from "zod";

/** What the API's edge lets through: rate limits and report bounds (see .env.example). */
export interface EdgeLimits {
  /** Requests per minute and client IP to each webhook route; null = no limit. */
  webhooksPerMinute: number | null;
  /** Failed authentications per minute and client IP before every request of that IP gets 429. */
  authFailuresPerMinute: number;
  /** The longest period a report covers, in days. */
  reportMaxDays: number;
  /** statement_timeout of a report's queries, in milliseconds. */
  reportStatementTimeoutMs: number;
}

export const DEFAULT_EDGE_LIMITS: EdgeLimits = Object.freeze({
  webhooksPerMinute: 3000,
  authFailuresPerMinute: 20,
  reportMaxDays: DEFAULT_REPORT_MAX_DAYS,
  reportStatementTimeoutMs: 30_000,
});

/** The environment's names for them (the API's config schema spreads these in). */
export const edgeLimitsEnv = {
  TRUST_PROXY: envBoolean.default(false),
  WEBHOOK_RATE_LIMIT_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(0)
    .default(DEFAULT_EDGE_LIMITS.webhooksPerMinute ?? 0),
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).default(DEFAULT_EDGE_LIMITS.authFailuresPerMinute),
  REPORT_MAX_DAYS: z.coerce.number().int().min(1).max(3660).default(DEFAULT_EDGE_LIMITS.reportMaxDays),
  REPORT_STATEMENT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(DEFAULT_EDGE_LIMITS.reportStatementTimeoutMs),
};

export function edgeLimitsFromConfig(config: {
  WEBHOOK_RATE_LIMIT_PER_MINUTE: number;
  AUTH_FAILURES_PER_MINUTE: number;
  REPORT_MAX_DAYS: number;
  REPORT_STATEMENT_TIMEOUT_MS: number;
}): EdgeLimits {
  return {
    webhooksPerMinute:
      config.WEBHOOK_RATE_LIMIT_PER_MINUTE === 0 ? null : config.WEBHOOK_RATE_LIMIT_PER_MINUTE,
    authFailuresPerMinute: config.AUTH_FAILURES_PER_MINUTE,
    reportMaxDays: config.REPORT_MAX_DAYS,
    reportStatementTimeoutMs: config.REPORT_STATEMENT_TIMEOUT_MS,
  };
}

/** Body limits per route, in bytes: what each needs, checked before the body is read. */
export const BODY_LIMITS = Object.freeze({
  /** every route not listed below: one lead, a stop, a DNC */
  default: 64 * 1024,
  /** the campaign calendar (holidays, blackouts) */
  calendar: 256 * 1024,
  /** 10,000 leads at up to ~1.2 kB each (every field at its longest is rarer than that) */
  bulk: 12 * 1024 * 1024,
  /** a Bland call object: transcripts and pathway logs of a 30-minute call fit well under it */
  blandWebhook: 4 * 1024 * 1024,
  /** one Convoso lead or status, with its custom fields */
  convosoWebhook: 256 * 1024,
});

/** JSON nested deeper than this is refused before it is parsed (a Bland call object: ~6). */
export const MAX_JSON_DEPTH = 32;
