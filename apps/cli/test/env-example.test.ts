import { readFileSync } from "node:fs";
import { join } from "node:path";
import { apiConfigSchema } from "@redial/api";
import { simulatorEnvSchema } from "@redial/simulator";
import { workerConfigSchema } from "@redial/worker";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../..");
const documented = new Set(
  readFileSync(join(root, ".env.example"), "utf8")
    .split("\n")
    .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
    .map((line) => line.slice(0, line.indexOf("="))),
);

/** Read outside the per-process schemas: by `pnpm start`, the test harness and the CLI. */
const READ_ELSEWHERE = ["EMBEDDED_PG_PORT", "TEST_DATABASE_URL", "TEST_DB"];

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
