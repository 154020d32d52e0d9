import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "@redial/testing";
import { afterEach, describe, expect, it } from "vitest";

const REPO_ROOT = join(import.meta.dirname, "../../..");

let running: ChildProcess | undefined;
afterEach(() => {
  if (running && running.exitCode === null && running.signalCode === null)
    process.kill(-(running.pid ?? 0), "SIGKILL");
  running = undefined;
});

describe("pnpm demo (real processes, its own throwaway database)", () => {
  it("places calls and records their results within seconds, then SIGTERM stops it, exit 0, its folder deleted", async ({
    onTestFailed,
  }) => {
    let output = "";
    // Whatever the environment says, the demo runs its own database and the simulator.
    const demo = spawn("pnpm", ["demo"], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        DATABASE_URL: "postgres://nobody@127.0.0.1:1/not-this-one",
        BLAND_API_URL: "http://127.0.0.1:1",
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    running = demo;
    const keep = (chunk: Buffer) => {
      output += chunk.toString();
    };
    demo.stdout?.on("data", keep);
    demo.stderr?.on("data", keep);
    onTestFailed(() => void process.stderr.write(`--- pnpm demo ---\n${output}\n`));
    const exited = once(demo, "exit");

    await waitFor(
      async () => / call {4}\+1\d{10}/.test(output) && / result {2}\+1\d{10} {2}[A-Z_]+/.test(output),
      "a call placed and its result recorded",
      120_000,
    );
    const folder = /\(in (\S+), deleted at the end\)/.exec(output)?.[1];
    expect(folder && existsSync(folder)).toBe(true);

    process.kill(-(demo.pid ?? 0), "SIGTERM");
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    expect(output.trimEnd().endsWith("stopped")).toBe(true);
    expect(output.split("\n").filter((line) => /"level":(50|60)|\bError\b|ELIFECYCLE/.test(line))).toEqual(
      [],
    );
    expect(existsSync(folder ?? "")).toBe(false);
  }, 180_000);
});
