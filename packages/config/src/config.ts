import { z } from "zod";

export class ConfigError extends Error {
  readonly code = "invalid_config" as const;
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super(
      `Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join("\n")}\nFix the environment (see .env.example) and start again.`,
    );
    this.name = "ConfigError";
    this.issues = issues;
  }
}

type Env = Record<string, string | undefined>;

/**
 * The variables that are set: an empty value (`NAME=` in a .env file, `NAME= pnpm start`) counts
 * as unset, so it takes the default like a variable never written.
 */
export function withoutEmptyValues(env: Env): Record<string, string> {
  const set: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value !== "") set[name] = value;
  return set;
}

/** Parse `env` with `schema`; empty strings count as unset. Throws ConfigError naming each bad variable. */
export function parseConfig<T extends z.ZodType>(schema: T, env: Env): Readonly<z.infer<T>> {
  const result = schema.safeParse(withoutEmptyValues(env));
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join(".") || "(environment)"}: ${issue.message}`),
    );
  }
  return Object.freeze(result.data);
}

/** The edge of a process: parse process.env, or print the problem and exit 1. */
export function loadConfig<T extends z.ZodType>(schema: T, env: Env = process.env): Readonly<z.infer<T>> {
  try {
    return parseConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** "a,b , c" → ["a","b","c"] */
export const csvList = z.string().transform((text) =>
  text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0),
);

/** "true"/"false"/"1"/"0"/"yes"/"no" → boolean */
export const envBoolean = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "expected true or false" })
  .transform((text) => text === "true" || text === "1" || text === "yes");
