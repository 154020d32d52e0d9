import { pino } from "pino";
import { maskPhones, maskValue, REDACT_PATHS, redactingSerializers } from "./log-redaction.ts";

export type Logger = pino.Logger;

/**
 * JSON lines by default; pretty when stdout is a terminal (or `pretty: true`). Secrets are
 * redacted by path and in logged URLs, phone numbers masked to their last 4 digits in every
 * message and logged value (log-redaction.ts).
 */
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
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    serializers: redactingSerializers,
    formatters: { log: (object) => maskValue(object) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((arg) => (typeof arg === "string" ? maskPhones(arg) : arg));
        return method.apply(this, masked as Parameters<typeof method>);
      },
    },
    ...(pretty && !options.destination
      ? { transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss.l" } } }
      : {}),
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
