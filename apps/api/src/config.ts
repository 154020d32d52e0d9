import { csvList, envBoolean } from "@redial/config";
import { databaseEnv, dialLimitsEnv, redialPolicyEnv } from "@redial/services";
import { z } from "zod";

/** The API process's environment (see .env.example). Parsed once at start, frozen. */
export const apiConfigSchema = z.object({
  ...databaseEnv,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  API_KEYS: csvList.pipe(
    z.array(z.string().min(8, "each API key needs at least 8 characters")).min(1, "at least one key"),
  ),
  BLAND_WEBHOOK_SECRET: z.string().min(8, "the webhook signing secret from Bland (at least 8 characters)"),
  CONVOSO_WEBHOOK_TOKEN: z.string().min(8, "a shared token Convoso sends with its webhooks").optional(),
  SCHEDULER_CONFIG: z.string().optional(),
  // The API records webhook outcomes: it queues them for Convoso only when the workers sync them.
  CONVOSO_SYNC_ENABLED: envBoolean.default(true),
  // How a status Convoso's webhook reports is read (its STATUS:treatment entries; see .env.example).
  CONVOSO_STATUS_MAP: z.string().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ...redialPolicyEnv,
  ...dialLimitsEnv,
});

export type ApiConfig = z.infer<typeof apiConfigSchema>;
