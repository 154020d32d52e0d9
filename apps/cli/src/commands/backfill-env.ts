import { parseConfig } from "@redial/config";
import { redialPolicyEnv } from "@redial/services";
import { z } from "zod";

const url = (what: string) => z.string({ message: `required: ${what}` }).url({ message: `${what} (a URL)` });
const secret = (what: string) => z.string({ message: `required: ${what}` }).min(1, `required: ${what}`);

const commonEnv = {
  DATABASE_URL: url("the postgres:// connection string of the database to backfill"),
  CONVOSO_API_URL: url("Convoso's API base URL, e.g. https://api.convoso.com"),
  CONVOSO_AUTH_TOKEN: secret("the Convoso auth token"),
  CONVOSO_RATE_PER_SECOND: z.coerce.number().positive().default(20),
  CONVOSO_STATUS_MAP: z.string().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("warn"),
  ...redialPolicyEnv,
};

/** `redial backfill webhook-logs`: no Bland access needed. */
export const webhookLogsEnvSchema = z.object(commonEnv);

/** `redial backfill bland`. */
export const blandBackfillEnvSchema = z.object({
  ...commonEnv,
  BLAND_API_URL: url("Bland's API base URL, e.g. https://api.bland.ai"),
  BLAND_API_KEY: secret("the Bland API key"),
});

export type WebhookLogsEnv = z.infer<typeof webhookLogsEnvSchema>;
export type BlandBackfillEnv = z.infer<typeof blandBackfillEnvSchema>;

type Env = Record<string, string | undefined>;

/** Parsed once at the start of the command; a missing or bad variable is a ConfigError naming it. */
export function parseBlandBackfillEnv(env: Env): Readonly<BlandBackfillEnv> {
  return parseConfig(blandBackfillEnvSchema, env);
}

export function parseWebhookLogsEnv(env: Env): Readonly<WebhookLogsEnv> {
  return parseConfig(webhookLogsEnvSchema, env);
}
