/**
 * Shared start-up plumbing for every process: parse the environment once with a zod schema
 * (a bad value stops the process with a message naming the variable), freeze it, and build
 * the pino logger with secrets redacted.
 */
export { ConfigError, csvList, envBoolean, loadConfig, parseConfig } from "./config.ts";
export { createLogger, type Logger } from "./logger.ts";
