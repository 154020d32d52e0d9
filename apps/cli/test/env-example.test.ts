import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { apiConfigSchema } from "@redial/api";
import { parseConfig } from "@redial/config";
import { simulatorEnvSchema } from "@redial/simulator";
import { workerConfigSchema } from "@redial/worker";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../..");
const examplePath = join(root, ".env.example");
const documented = new Set(
  readFileSync(examplePath, "utf8")
    .split("\n")
    .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
    .map((line) => line.slice(0, line.indexOf("="))),
);

/** Read outside the per-process schemas: by `pnpm start`, the test harness and the CLI. */
const READ_ELSEWHERE = ["EMBEDDED_PG_PORT", "EMBEDDED_PG_DIR", "TEST_DATABASE_URL", "TEST_DB"];

const schemaKeys = (schema: { shape: Record<string, unknown> }) => Object.keys(schema.shape);

describe(".env.example", () => {
  it("documents every variable the api, the worker and the simulator read", () => {
    const read = [
      ...schemaKeys(apiConfigSchema),
      ...schemaKeys(workerConfigSchema),
      ...schemaKeys(simulatorEnvSchema),
    ];
    const missing = [...new Set(read)].filter((key) => !documented.has(key));
    expect(missing).toEqual([]);
  });

  it("documents nothing that no process reads", () => {
    const read = new Set([
      ...schemaKeys(apiConfigSchema),
      ...schemaKeys(workerConfigSchema),
      ...schemaKeys(simulatorEnvSchema),
      ...READ_ELSEWHERE,
    ]);
    expect([...documented].filter((key) => !read.has(key))).toEqual([]);
  });
});

describe(".env.example copied as .env", () => {
  /** As `node --env-file=.env` reads it. */
  const asNodeReadsIt = parseEnv(readFileSync(examplePath, "utf8"));
  /** What each process requires and the example leaves empty. */
  const REQUIRED = {
    DATABASE_URL: "postgres://redial@127.0.0.1:5432/redial",
    API_KEYS: "a-test-api-key",
    BLAND_WEBHOOK_SECRET: "a-webhook-secret",
    PUBLIC_URL: "http://127.0.0.1:3000",
    BLAND_API_KEY: "a-bland-key",
    BLAND_TASK: "a task",
    CONVOSO_AUTH_TOKEN: "a-convoso-token",
  };

  it("is read the same by Node's .env parser and by bash (set -a; source .env.example)", () => {
    const out = execFileSync("bash", ["-c", `set -a; source "$1"; env -0`, "bash", examplePath], {
      env: { PATH: process.env.PATH ?? "" },
      stdio: ["ignore", "pipe", "pipe"],
    }).toString();
    const asBashReadsIt = Object.fromEntries(
      out
        .split("\0")
        .filter((entry) => entry.includes("="))
        .map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]),
    );
    expect(Object.keys(asNodeReadsIt).sort()).toEqual([...documented].sort());
    for (const [name, value] of Object.entries(asNodeReadsIt)) expect(asBashReadsIt[name], name).toBe(value);
  });

  it("changes nothing: each process's config from it equals its config from the defaults", () => {
    for (const schema of [apiConfigSchema, workerConfigSchema, simulatorEnvSchema] as const) {
      const fromExample = parseConfig(schema, { ...asNodeReadsIt, ...REQUIRED });
      const fromDefaults = parseConfig(schema, REQUIRED);
      expect(fromExample).toEqual(fromDefaults);
    }
  });
});
