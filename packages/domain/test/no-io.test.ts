import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const packageDir = join(import.meta.dirname, "..");
const ALLOWED_DEPENDENCIES = ["chrono-node", "date-holidays", "libphonenumber-js", "luxon", "zod"];
const FORBIDDEN_IMPORTS = [
  /from\s+["'](node:)?(fs|fs\/promises|net|http|https|http2|child_process|dgram|tls|worker_threads)["']/,
  /from\s+["'](pg|kysely|pg-boss|fastify|undici|node-fetch|axios|postgres)(\/[^"']*)?["']/,
  /\bimport\(/,
  /\bprocess\.env\b/,
  /\bfetch\(/,
  /\bnew Date\(\)/,
  /\bDate\.now\(\)/,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

describe("the domain package does no I/O", () => {
  it("depends only on pure libraries (add an I/O dependency elsewhere, not here)", () => {
    const pkg = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
    };
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }).sort();
    expect(deps.filter((name) => !ALLOWED_DEPENDENCIES.includes(name))).toEqual([]);
  });

  it.each(sourceFiles(join(packageDir, "src")).map((file) => [file.slice(packageDir.length + 1), file]))(
    "%s imports no I/O module and reads no clock or environment",
    (_name, file) => {
      const text = readFileSync(file, "utf8");
      for (const pattern of FORBIDDEN_IMPORTS) expect(text, String(pattern)).not.toMatch(pattern);
    },
  );
});
