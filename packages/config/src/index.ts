/**
 * Shared start-up plumbing for every process: parse the environment once with a zod schema
 * (a bad value stops the process with a message naming the variable), freeze it, and build
 * the pino logger with secrets redacted; stop cleanly on SIGTERM/SIGINT.
 */
export { type ApiKey, apiKeysSchema, parseApiKeys } from "./api-keys.ts";
export { ConfigError, csvList, envBoolean, loadConfig, parseConfig, withoutEmptyValues } from "./config.ts";
export { maskPhones, maskUrl, REDACT_PATHS } from "./log-redaction.ts";
export { createLogger, type Logger } from "./logger.ts";
export { type StopLog, type StopOnSignalsOptions, stopOnSignals } from "./stop-on-signals.ts";
