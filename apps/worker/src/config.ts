import { apiKeysSchema, csvList, envBoolean } from "@redial/config";
import {
  alertEnv,
  databaseEnv,
  deliveryEnv,
  dialLimitsEnv,
  redialPolicyEnv,
  spendLimitEnv,
} from "@redial/services";
import { z } from "zod";

const positive = z.coerce.number().positive();

/** The worker process's environment (see .env.example). Parsed once at start, frozen. */
export const workerConfigSchema = z
  .object({
    ...databaseEnv,
    PUBLIC_URL: z
      .string()
      .url({ message: "the API's public base URL; Bland posts webhooks to PUBLIC_URL/v1/webhooks/bland" }),
    BLAND_API_URL: z.string().url().default("https://api.bland.ai"),
    BLAND_API_KEY: z.string().min(1, "the Bland API key"),
    BLAND_PATHWAY_ID: z.string().optional(),
    BLAND_TASK: z.string().optional(),
    BLAND_FROM_NUMBER: z
      .string()
      .regex(/^\+1\d{10}$/, "an E.164 US number such as +15551234567")
      .optional(),
    BLAND_TIMEOUT_MS: z.coerce.number().int().min(1000).default(15_000),
    CONVOSO_API_URL: z.string().url().default("https://api.convoso.com"),
    CONVOSO_AUTH_TOKEN: z.string().optional(),
    CONVOSO_SYNC_ENABLED: envBoolean.default(true),
    CONVOSO_RATE_PER_SECOND: positive.default(20),
    CONVOSO_STATUS_MAP: z.string().optional(),
    CONVOSO_STATUS_REFRESH_MINUTES: positive.default(15),
    CONVOSO_PREDIAL_CHECK: envBoolean.default(false),
    ...dialLimitsEnv,
    REDIS_URL: z.string().url().optional(),
    DIAL_RETRY_NOT_PLACED_SECONDS: z.coerce.number().min(1).max(3600).default(60),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(10),
    WORKER_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(0.5),
    HEAL_CRON: z.string().default("*/5 * * * *"),
    /** GET /healthz and /readyz on this port (container probes); unset ⇒ no HTTP server. */
    WORKER_HEALTH_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
    WORKER_HEALTH_HOST: z.string().default("0.0.0.0"),
    // How often the worker records it is alive and reads the fleet's pause switch (besides LISTEN).
    WORKER_HEARTBEAT_SECONDS: z.coerce.number().min(1).max(60).default(5),
    // GET /metrics (Prometheus) on this port; unset ⇒ no metrics server.
    WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    WORKER_METRICS_HOST: z.string().default("127.0.0.1"),
    // When set, a scrape of the worker's /metrics must send `Authorization: Bearer <one of the keys>`.
    API_KEYS: csvList.pipe(apiKeysSchema).optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    ...redialPolicyEnv,
    ...spendLimitEnv,
    ...deliveryEnv,
    ...alertEnv,
  })
  .refine((c) => c.BLAND_PATHWAY_ID || c.BLAND_TASK, {
    message: "set BLAND_PATHWAY_ID or BLAND_TASK (what the agent says)",
    path: ["BLAND_PATHWAY_ID"],
  })
  .refine((c) => c.RECONCILE_AMBIGUOUS_AFTER_SECONDS * 1000 >= 2 * c.BLAND_TIMEOUT_MS, {
    message:
      "at least twice BLAND_TIMEOUT_MS: a dial's request leaves within half of it, and must have its answer (or time out) before Bland is asked whether it was placed",
    path: ["RECONCILE_AMBIGUOUS_AFTER_SECONDS"],
  })
  .refine((c) => !c.CONVOSO_SYNC_ENABLED || c.CONVOSO_AUTH_TOKEN, {
    message:
      "required while CONVOSO_SYNC_ENABLED is true (set CONVOSO_SYNC_ENABLED=false to run without Convoso)",
    path: ["CONVOSO_AUTH_TOKEN"],
  });

export type WorkerConfig = z.infer<typeof workerConfigSchema>;
