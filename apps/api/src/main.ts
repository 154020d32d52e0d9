import { createLogger, loadConfig, stopOnSignals } from "@redial/config";
import { parseStatusOverrides } from "@redial/convoso";
import { policyRuntimeOptions, startRuntime } from "@redial/services";
import { buildApp } from "./app.ts";
import { apiConfigSchema } from "./config.ts";
import { edgeLimitsFromConfig } from "./edge-limits.ts";

/** `pnpm start:api`: the HTTP API, configured only by the environment. */
const config = loadConfig(apiConfigSchema);
const log = createLogger({ name: "api", level: config.LOG_LEVEL });
const runtime = await startRuntime({
  databaseUrl: config.DATABASE_URL,
  preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
  optimisticWrites: config.DATABASE_OPTIMISTIC_WRITES,
  ...policyRuntimeOptions(config),
  log,
  schedulerConfigFile: config.SCHEDULER_CONFIG,
  syncToConvoso: config.CONVOSO_SYNC_ENABLED,
  convosoStatusOverrides: parseStatusOverrides(config.CONVOSO_STATUS_MAP ?? ""),
});
const app = await buildApp({
  ctx: runtime.ctx,
  apiKeys: config.API_KEYS,
  blandWebhookSecret: config.BLAND_WEBHOOK_SECRET,
  convosoWebhookToken: config.CONVOSO_WEBHOOK_TOKEN,
  convosoConsentFields: config.CONVOSO_CONSENT_FIELDS,
  onCalendarChange: runtime.invalidateCalendar,
  dialLimits: config,
  limits: edgeLimitsFromConfig(config),
  trustProxy: config.TRUST_PROXY,
  logger: log,
  spendLimit: config.DAILY_SPEND_LIMIT ?? null,
  dashboard: { sessionSecret: config.DASHBOARD_SESSION_SECRET, secureCookie: config.DASHBOARD_COOKIE_SECURE },
  databaseUrl: config.DATABASE_URL,
  webhookGroupCommit: config.WEBHOOK_GROUP_COMMIT,
  webhookApplyAfterAnswer: config.WEBHOOK_APPLY_AFTER_ANSWER,
});
const address = await app.listen({ port: config.PORT, host: config.HOST });
log.info({ address }, "api listening");

// Stop accepting connections, let in-flight requests finish, then close pg-boss and the pool.
stopOnSignals({
  name: "api",
  log,
  timeoutMs: 30_000,
  stop: async () => {
    await app.close();
    await runtime.stop();
  },
});
