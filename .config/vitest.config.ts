import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("..", import.meta.url));

// One project per app, package and tool: `pnpm test` runs them all; `pnpm test --project domain` runs one.
const projectDirs = ["apps", "packages", "tools"].flatMap((group) =>
  readdirSync(`${root}/${group}`, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${group}/${entry.name}`),
);

export default defineConfig({
  root,
  test: {
    // CI sets VITEST_JSON_REPORT to a file path to get a machine-readable summary as well.
    ...(process.env.VITEST_JSON_REPORT
      ? { reporters: ["default", "json"], outputFile: { json: process.env.VITEST_JSON_REPORT } }
      : {}),
    globalSetup: ["./packages/testing/src/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: projectDirs.map((dir) => ({
      extends: true,
      test: { name: dir.split("/")[1], root: dir, include: ["test/**/*.test.ts"] },
    })),
  },
});
