/**
 * `pnpm fuzz [--runs 5000] [--seed 42]`: the route fuzz suite (test/fuzz-routes.test.ts) for as
 * many requests as asked, through vitest (its global setup provides the database); prints the
 * summary: requests, routes, answers by status, and the first broken invariant if any.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "5000" }, seed: { type: "string" } },
});
const runs = Number(values.runs);
if (!Number.isSafeInteger(runs) || runs < 1) {
  process.stderr.write(`--runs must be a whole number ≥ 1, got ${values.runs}\n`);
  process.exit(2);
}
const report = join(mkdtempSync(join(tmpdir(), "redial-fuzz-")), "summary.txt");
const root = join(import.meta.dirname, "../../../..");
const result = spawnSync(
  "pnpm",
  [
    "exec",
    "vitest",
    "run",
    "--config",
    ".config/vitest.config.ts",
    "--project",
    "api",
    "test/fuzz-routes.test.ts",
  ],
  {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      FUZZ_RUNS: String(runs),
      FUZZ_REPORT: report,
      ...(values.seed ? { FUZZ_SEED: values.seed } : {}),
    },
  },
);
try {
  process.stdout.write(`\n${readFileSync(report, "utf8")}`);
} catch {
  process.stdout.write("\nfuzz: no summary was written (see the test output above)\n");
}
process.exit(result.status ?? 1);
