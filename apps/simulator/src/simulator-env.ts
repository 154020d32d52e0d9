import { z } from "zod";
import type { SimulatorOptions } from "./simulator-state.ts";

const DAY_MS = 86_400_000;

/** History dates default to the 30 days before today's UTC midnight, so the history is stable within a day. */
function defaultHistoryWindow(now = Date.now()): { from: string; to: string } {
  const to = Math.floor(now / DAY_MS) * DAY_MS;
  return { from: new Date(to - 30 * DAY_MS).toISOString(), to: new Date(to).toISOString() };
}

const window = defaultHistoryWindow();

export const DEFAULT_SIMULATOR_OPTIONS: Readonly<SimulatorOptions> = Object.freeze({
  port: 4010,
  host: "127.0.0.1",
  blandApiKey: "sim-bland-key",
  webhookSecret: "sim-webhook-secret",
  convosoToken: "sim-convoso-token",
  seed: 1,
  historyCalls: 2000,
  historyFrom: window.from,
  historyTo: window.to,
  requestLogSize: 5000,
  config: {},
});

const isoDate = (name: string) =>
  z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), `${name} must be an ISO date such as 2025-01-31`)
    .transform((s) => new Date(s).toISOString());

const jsonConfig = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    ctx.addIssue({ code: "custom", message: 'SIM_CONFIG must be JSON, e.g. {"callDurationMs":500}' });
    return z.NEVER;
  }
});

/** The simulator's environment; every variable is optional. */
export const simulatorEnvSchema = z
  .object({
    SIM_PORT: z.coerce.number().int().min(0).max(65_535).default(DEFAULT_SIMULATOR_OPTIONS.port),
    SIM_HOST: z.string().default(DEFAULT_SIMULATOR_OPTIONS.host),
    SIM_BLAND_API_KEY: z.string().default(DEFAULT_SIMULATOR_OPTIONS.blandApiKey),
    SIM_WEBHOOK_SECRET: z.string().default(DEFAULT_SIMULATOR_OPTIONS.webhookSecret),
    SIM_CONVOSO_TOKEN: z.string().default(DEFAULT_SIMULATOR_OPTIONS.convosoToken),
    SIM_SEED: z.coerce.number().int().default(DEFAULT_SIMULATOR_OPTIONS.seed),
    SIM_HISTORY_CALLS: z.coerce
      .number()
      .int()
      .min(0)
      .max(40_000_000)
      .default(DEFAULT_SIMULATOR_OPTIONS.historyCalls),
    SIM_HISTORY_FROM: isoDate("SIM_HISTORY_FROM").default(DEFAULT_SIMULATOR_OPTIONS.historyFrom),
    SIM_HISTORY_TO: isoDate("SIM_HISTORY_TO").default(DEFAULT_SIMULATOR_OPTIONS.historyTo),
    SIM_REQUEST_LOG_SIZE: z.coerce.number().int().min(1).default(DEFAULT_SIMULATOR_OPTIONS.requestLogSize),
    /** Initial runtime config as JSON (same shape as PUT /_sim/config). */
    SIM_CONFIG: jsonConfig.optional(),
    SIM_LOG_REQUESTS: z.enum(["true", "false"]).default("false"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .refine((env) => Date.parse(env.SIM_HISTORY_FROM) < Date.parse(env.SIM_HISTORY_TO), {
    path: ["SIM_HISTORY_FROM"],
    message: "SIM_HISTORY_FROM must be before SIM_HISTORY_TO",
  });

export type SimulatorEnv = z.infer<typeof simulatorEnvSchema>;

export function optionsFromEnv(env: SimulatorEnv): SimulatorOptions {
  return {
    port: env.SIM_PORT,
    host: env.SIM_HOST,
    blandApiKey: env.SIM_BLAND_API_KEY,
    webhookSecret: env.SIM_WEBHOOK_SECRET,
    convosoToken: env.SIM_CONVOSO_TOKEN,
    seed: env.SIM_SEED,
    historyCalls: env.SIM_HISTORY_CALLS,
    historyFrom: env.SIM_HISTORY_FROM,
    historyTo: env.SIM_HISTORY_TO,
    requestLogSize: env.SIM_REQUEST_LOG_SIZE,
    config: env.SIM_CONFIG ?? {},
  };
}
