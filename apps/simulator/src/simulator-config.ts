import { z } from "zod";
import { DEFAULT_OUTCOME_WEIGHTS, OUTCOMES } from "./outcomes.ts";

/** A fault fires on the next `next` chances, then with `probability` on each chance. */
const fault = <T extends z.ZodRawShape>(extra: T) =>
  z.strictObject({
    probability: z.number().min(0).max(1).default(0),
    next: z.number().int().min(0).default(0),
    ...extra,
  });

const outcome = z.enum(OUTCOMES);

const faultsSchema = z.strictObject({
  /** 429 on POST /v1/calls; Retry-After is sent when retryAfterSeconds is not null. */
  rateLimit: fault({ retryAfterSeconds: z.number().min(0).nullable().default(1) }).prefault({}),
  /** 5xx on POST /v1/calls without placing the call. */
  serverErrorBeforePlacing: fault({ status: z.number().int().min(500).max(599).default(503) }).prefault({}),
  /** 5xx on POST /v1/calls AFTER placing it: the call exists and will end and send its webhook. */
  serverErrorAfterPlacing: fault({ status: z.number().int().min(500).max(599).default(502) }).prefault({}),
  /** Hang hangMs (longer than the client's timeout) without placing, then answer 504. */
  timeoutBeforePlacing: fault({ hangMs: z.number().int().min(0).default(30_000) }).prefault({}),
  /** Place the call, then hang hangMs before answering success. */
  timeoutAfterPlacing: fault({ hangMs: z.number().int().min(0).default(30_000) }).prefault({}),
  /** 5xx on GET /v1/calls and GET /v1/calls/:id: Bland cannot be asked about its calls. */
  readServerError: fault({ status: z.number().int().min(500).max(599).default(503) }).prefault({}),
  /** Send the webhook twice (same bytes), the copy delayMs after the first. */
  webhookDuplicate: fault({ delayMs: z.number().int().min(0).default(0) }).prefault({}),
  /** Never send the webhook (the call still completes in GET). */
  webhookMissing: fault({}).prefault({}),
  /** Hold webhooks until `batch` are waiting (or maxHoldMs passed), then send them newest first. 0/1 = off. */
  webhookOutOfOrder: z
    .strictObject({
      batch: z.number().int().min(0).default(0),
      maxHoldMs: z.number().int().min(0).default(2000),
    })
    .prefault({}),
  /** Added to `count` in GET /v1/calls (Bland's count is not exact). */
  listCountOffset: z.number().int().default(0),
  /** Convoso answers HTTP 429 / 500. */
  convosoRateLimit: fault({}).prefault({}),
  convosoServerError: fault({}).prefault({}),
});

export const simulatorConfigSchema = z.strictObject({
  /** How long a placed call lasts before it ends, plus up to jitter. */
  callDurationMs: z.number().int().min(0).default(150),
  callDurationJitterMs: z.number().int().min(0).default(100),
  /** Late webhooks: wait this long after the call ends before sending. */
  webhookDelayMs: z.number().int().min(0).default(0),
  /** Extra deliveries after a network error or 5xx from the receiver. */
  webhookRetries: z.number().int().min(0).max(10).default(2),
  /** Relative weights of each outcome; a missing outcome weighs 0. Replaced whole by PUT /_sim/config. */
  outcomeWeights: z
    .strictObject(
      Object.fromEntries(OUTCOMES.map((o) => [o, z.number().min(0)])) as Record<
        (typeof OUTCOMES)[number],
        z.ZodNumber
      >,
    )
    .partial()
    .default(DEFAULT_OUTCOME_WEIGHTS),
  /** Forces the outcome of every call to a number (E.164). Replaced whole by PUT /_sim/config. */
  outcomeByPhone: z.record(z.string(), outcome).default({}),
  /** Violation: two placed calls to one number closer than this. */
  minGapSeconds: z.number().min(0).default(120),
  caps: z
    .strictObject({
      /** Calls in progress allowed at once; null = no cap. */
      concurrent: z.number().int().min(0).nullable().default(null),
      /** Calls placed in any sliding hour; null = no cap. */
      perHour: z.number().int().min(0).nullable().default(null),
      /** true: refuse over-cap requests with 429 (as Bland would); false: place and only report. */
      enforce: z.boolean().default(true),
    })
    .prefault({}),
  faults: faultsSchema.prefault({}),
  convoso: z
    .strictObject({
      /** entries: data.entries · results: data.results · array: data is the array · flat: no data wrapper */
      responseShape: z.enum(["entries", "results", "array", "flat"]).default("entries"),
      /** production: the 72 codes of the production account (SALE sells) · sold: S and SOLD sell instead */
      account: z.enum(["production", "sold"]).default("production"),
    })
    .prefault({}),
});

export type SimulatorConfig = z.infer<typeof simulatorConfigSchema>;
export type SimulatorConfigInput = z.input<typeof simulatorConfigSchema>;
export type FaultSpec = { probability: number; next: number };
export type FaultName = {
  [K in keyof SimulatorConfig["faults"]]: SimulatorConfig["faults"][K] extends FaultSpec ? K : never;
}[keyof SimulatorConfig["faults"]];

export class InvalidSimulatorConfig extends Error {
  override name = "InvalidSimulatorConfig";
  readonly code = "invalid_config" as const;
  readonly issues: string[];
  constructor(issues: string[]) {
    super(`Invalid simulator config: ${issues.join("; ")}`);
    this.issues = issues;
  }
}

export function parseSimulatorConfig(input: unknown): SimulatorConfig {
  const result = simulatorConfigSchema.safeParse(input);
  if (!result.success) {
    throw new InvalidSimulatorConfig(
      result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`),
    );
  }
  return result.data;
}

/** Deep-merges a partial update into the current config and validates the result. */
export function updateSimulatorConfig(current: SimulatorConfig, patch: unknown): SimulatorConfig {
  if (!isPlainObject(patch)) throw new InvalidSimulatorConfig(["(root): expected a JSON object"]);
  return parseSimulatorConfig(deepMerge(current, patch));
}

/** Maps that a PUT replaces instead of merging (a missing weight means 0, a missing phone means no override). */
const REPLACED_WHOLE = new Set(["outcomeByPhone", "outcomeWeights"]);

function deepMerge(base: unknown, patch: unknown, key = ""): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch) || REPLACED_WHOLE.has(key)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = k in base ? deepMerge(base[k], v, k) : v;
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
