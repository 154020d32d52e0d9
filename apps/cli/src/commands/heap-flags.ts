import { spawn } from "node:child_process";
import { once } from "node:events";
import { constants } from "node:os";

/**
 * The importer's heap. V8 collects lazily and lets an uncapped heap grow with the run: 636 MB of
 * RSS importing 200,000 rows against 408 MB for 10,000 (1.56×); with these flags 338 against 331 MB
 * (1.02×) at the same speed within the runs' spread (29.9 s against 29.2 s; docs/performance.md).
 */
export const IMPORT_HEAP_FLAGS = ["--max-old-space-size=192", "--max-semi-space-size=32"] as const;

const FORWARDED: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/**
 * Runs this same command line again in a child Node given `flags` and resolves its exit code, for
 * the caller to exit with (128 + the signal's number when a signal ended it). SIGINT, SIGTERM and
 * SIGHUP sent to this process are passed on to the child.
 */
export async function rerunWithHeapFlags(flags: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, ...flags, ...process.argv.slice(1)], {
    stdio: "inherit",
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of FORWARDED) process.on(signal, forward);
  try {
    const [code, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
    return code ?? 128 + (signal ? constants.signals[signal] : 0);
  } finally {
    for (const signal of FORWARDED) process.off(signal, forward);
  }
}

/** Whether Node's own flags or NODE_OPTIONS set the old generation's size. */
export function heapSizeChosen(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return [...execArgv, ...(nodeOptions ?? "").split(/\s+/)].some((flag) =>
    /^--max[-_]old[-_]space[-_]size\b/.test(flag),
  );
}
