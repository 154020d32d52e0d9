import { apiKeysSchema, csvList, envBoolean } from "@redial/config";
import {
  databaseEnv,
  dialLimitsEnv,
  parseConvosoConsentFields,
  redialPolicyEnv,
  spendLimitEnv,
} from "@redial/services";
import { z } from "zod";
import { edgeLimitsEnv } from "./edge-limits.ts";

/** The API process's environment (see .env.example). Parsed once at start, frozen. */
export const apiConfigSchema = z.object({
  ...databaseEnv,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  // `name:key` pairs (`ops:k1,alice:k2`) or bare keys (named key-1, key-2…): changes by hand are recorded under the name.
  API_KEYS: csvList.pipe(apiKeysSchema),
  BLAND_WEBHOOK_SECRET: z.string().min(8, "the webhook signing secret from Bland (at least 8 characters)"),
  CONVOSO_WEBHOOK_TOKEN: z.string().min(8, "a shared token Convoso sends with its webhooks").optional(),
  SCHEDULER_CONFIG: z.string().optional(),
  // The API records webhook outcomes: it queues them for Convoso only when the workers sync them.
  CONVOSO_SYNC_ENABLED: envBoolean.default(true),
  // How a status Convoso's webhook reports is read (its STATUS:treatment entries; see .env.example).
  CONVOSO_STATUS_MAP: z.string().optional(),
  // Which Convoso fields carry a pushed lead's consent (type=…,captured_at=…,certificate_id=…; see .env.example).
  CONVOSO_CONSENT_FIELDS: z
    .string()
    .optional()
    .transform((text, check) => {
      try {
        return parseConvosoConsentFields(text);
      } catch (error) {
        check.addIssue({ code: "custom", message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
    }),
  // Bland deliveries arriving together stored in one statement and one commit, each answered after it (false: a commit each).
  WEBHOOK_GROUP_COMMIT: envBoolean.default(true),
  // Answer a Bland delivery once its event is durable and apply its result right after (default: apply, then answer).
  WEBHOOK_APPLY_AFTER_ANSWER: envBoolean.default(false),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ...redialPolicyEnv,
  ...dialLimitsEnv,
  ...spendLimitEnv,
  // The console's session cookie key (≥ 32 characters); unset ⇒ derived from API_KEYS.
  DASHBOARD_SESSION_SECRET: z.string().min(32, "at least 32 characters").optional(),
  // true behind HTTPS: the session cookie is sent over HTTPS only.
  DASHBOARD_COOKIE_SECURE: envBoolean.default(false),
  ...edgeLimitsEnv,
});

export type ApiConfig = z.infer<typeof apiConfigSchema>;
