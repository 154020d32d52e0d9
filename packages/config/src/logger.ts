import { pino } from "pino";

export type Logger = pino.Logger;

/** Paths whose values never reach a log line. */
const REDACT = [
  "req.headers.authorization",
  'req.headers["x-api-key"]',
  'req.headers["x-webhook-signature"]',
  "*.apiKey",
  "*.api_key",
  "*.auth_token",
  "*.authToken",
  "*.secret",
  "*.password",
  "config.BLAND_API_KEY",
  "config.BLAND_WEBHOOK_SECRET",
  "config.CONVOSO_AUTH_TOKEN",
  "config.API_KEYS",
  "config.DATABASE_URL",
];

/** JSON lines by default; pretty when stdout is a terminal (or `pretty: true`). */
export function createLogger(options: {
  name: string;
  level?: string;
  pretty?: boolean;
  destination?: pino.DestinationStream;
}): Logger {
  const pretty = options.pretty ?? process.stdout.isTTY === true;
  const settings: pino.LoggerOptions = {
    name: options.name,
    level: options.level ?? "info",
    redact: { paths: REDACT, censor: "[redacted]" },
    ...(pretty && !options.destination
      ? { transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss.l" } } }
      : {}),
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
