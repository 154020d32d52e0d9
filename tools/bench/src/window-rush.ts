import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLogger } from "@redial/config";
import { Command } from "commander";
import { z } from "zod";
import type { WorkerShape } from "./dial-loop/baseline.ts";
import { startBenchLoop } from "./dial-loop/loop.ts";
import { fmt } from "./dial-loop/report.ts";
import { createScratchDatabase, openBenchServer } from "./dial-loop/scratch-database.ts";
import { type RushResult, runRush } from "./window-rush/rush.ts";

/**
 * The window-opening rush (issue 17, item 2): `--leads` leads due at the same instant under
 * DIAL_MAX_CONCURRENT, calls lasting `--call-seconds` on the simulator (Bland with the same cap),
 * the API and workers in this process (startLoopSystem). Prints the targets beside the figures.
 *   node --experimental-strip-types tools/bench/src/window-rush.ts [--leads 100000 --for-seconds 300]
 */
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const FULL_SIZE = 100_000;

const whole = (name: string, min: number) =>
  z.coerce.number().int().min(min, `${name} must be a whole number ≥ ${min}`);
const optionsSchema = z.object({
  leads: whole("--leads", 1).default(3000),
  callSeconds: z.coerce.number().positive().default(10),
  jitterSeconds: z.coerce.number().min(0).optional(),
  maxConcurrent: whole("--max-concurrent", 1).default(100),
  callbackEvery: whole("--callback-every", 0).default(20),
  workers: whole("--workers", 1).default(2),
  concurrency: whole("--concurrency", 1).max(200).default(10),
  pollSeconds: z.coerce.number().min(0.5).default(0.5),
  forSeconds: z.coerce.number().positive().optional(),
  json: z.boolean().default(false),
});
type RushCommandOptions = z.infer<typeof optionsSchema>;

export const TARGETS = { secondsToCap: 2, busyShare: 0.95, inversions: 0 } as const;

function commandLine(o: RushCommandOptions): string {
  return [
    "node --experimental-strip-types tools/bench/src/window-rush.ts",
    `--leads ${o.leads}`,
    `--call-seconds ${o.callSeconds}`,
    ...(o.jitterSeconds !== undefined ? [`--jitter-seconds ${o.jitterSeconds}`] : []),
    `--max-concurrent ${o.maxConcurrent}`,
    `--callback-every ${o.callbackEvery}`,
    `--workers ${o.workers}`,
    `--concurrency ${o.concurrency}`,
    ...(o.pollSeconds !== 0.5 ? [`--poll-seconds ${o.pollSeconds}`] : []),
    ...(o.forSeconds !== undefined ? [`--for-seconds ${o.forSeconds}`] : []),
  ].join(" ");
}

export function formatRush(r: RushResult, o: RushCommandOptions, seconds: number, header: string): string {
  const ok = (pass: boolean) => (pass ? "ok" : "MISSED");
  const cpu = `${fmt(r.cpuPerLead.nodeMs, 2)} + ${r.cpuPerLead.postgresMs === null ? "n/a" : fmt(r.cpuPerLead.postgresMs, 2)} ms`;
  const results = Object.entries(r.dialResults)
    .map(([result, n]) => `${result} ${n}`)
    .join(", ");
  const rows: Array<[string, string, string, string]> = [
    [
      `Opening → ${o.maxConcurrent} calls in progress`,
      `${fmt(r.secondsToCap, 2)} s`,
      `≤ ${TARGETS.secondsToCap} s`,
      ok(r.secondsToCap <= TARGETS.secondsToCap),
    ],
    [
      r.placed < r.leads
        ? `Slots busy over the first ${fmt(o.forSeconds ?? 0, 0)} s (${r.samples} samples / 100 ms; ${fmt(r.placed, 0)} of ${fmt(r.leads, 0)} leads placed, the rest still due)`
        : `Slots busy until the due set drained (${r.samples} samples / 100 ms, ${fmt(r.drainSeconds, 1)} s)`,
      `${fmt(r.busyShare * 100, 1)}%`,
      `≥ ${TARGETS.busyShare * 100}%`,
      ok(r.busyShare >= TARGETS.busyShare),
    ],
    [
      `Order: pairs the fleet took out of order (callbacks first, then due time; ${r.callbacks} callbacks)`,
      `${r.inversions}`,
      "0",
      ok(r.inversions === 0),
    ],
    [
      "  calls placed out of that order (dials run side by side): pairs; most one came late",
      `${r.placedOutOfOrder.pairs}; ${fmt(r.placedOutOfOrder.latestSeconds, 3)} s`,
      "",
      "",
    ],
    [
      "Longest a freed slot stayed free while leads waited",
      `${fmt(r.longestFreeSlotSeconds, 2)} s`,
      `≤ ${o.pollSeconds} s (one poll)`,
      ok(r.longestFreeSlotSeconds <= o.pollSeconds),
    ],
    [
      `  a freed slot until the next call (${r.freeSlotSeconds.refills} refills)`,
      `p50 ${fmt(r.freeSlotSeconds.p50, 2)} s  p99 ${fmt(r.freeSlotSeconds.p99, 2)} s`,
      "",
      "",
    ],
    [
      "Calls in progress at most (sampled); over Bland's cap",
      `${r.maxLive}; ${r.refusedByBland}`,
      `≤ ${o.maxConcurrent}; 0`,
      ok(r.maxLive <= o.maxConcurrent && r.refusedByBland === 0),
    ],
    ["Leads dialed twice", `${r.doubleDials}`, "0", ok(r.doubleDials === 0)],
    ["Dial jobs", results, "", ""],
    ["CPU per lead placed, Node + PostgreSQL", cpu, "", ""],
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((row) => row[c]?.length ?? 0)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, c) => (c < 3 ? cell.padEnd(widths[c] ?? 0) : cell))
      .join("  ")
      .trimEnd();
  return [
    header,
    "",
    ...rows.map(line),
    "",
    ...(r.leads < FULL_SIZE
      ? [
          `The issue's full size is --leads ${FULL_SIZE} (about ${fmt(((FULL_SIZE / o.maxConcurrent) * o.callSeconds) / 3600, 1)} h at these call lengths).`,
        ]
      : []),
    `Ran in ${fmt(seconds, 0)} s: ${commandLine(o)}`,
  ].join("\n");
}

async function main(raw: Record<string, unknown>): Promise<void> {
  const o = optionsSchema.parse(raw);
  const started = performance.now();
  const progress = (text: string) => process.stderr.write(`${text}\n`);
  const log = createLogger({ name: "bench", level: "silent", pretty: false });
  const server = await openBenchServer({
    databaseUrl: process.env.DATABASE_URL,
    embeddedDataDir: join(REPO_ROOT, ".data/bench-postgres/data"),
    embeddedPort: Number(process.env.EMBEDDED_PG_PORT ?? 54331),
  });
  const database = await createScratchDatabase(server.url, `redial_rush_${process.pid}`);
  const loop = await startBenchLoop(log);
  const shape: WorkerShape = { workers: o.workers, concurrency: o.concurrency, pollSeconds: o.pollSeconds };
  try {
    const result = await runRush(
      database,
      loop,
      shape,
      {
        leads: o.leads,
        callSeconds: o.callSeconds,
        jitterSeconds: o.jitterSeconds ?? o.callSeconds / 5,
        maxConcurrent: o.maxConcurrent,
        callbackEvery: o.callbackEvery,
        ...(o.forSeconds !== undefined ? { forSeconds: o.forSeconds } : {}),
      },
      progress,
    );
    const header =
      `Window-opening rush: ${fmt(o.leads, 0)} leads due at once, DIAL_MAX_CONCURRENT=${o.maxConcurrent}, calls ${o.callSeconds} s ± ${fmt(o.jitterSeconds ?? o.callSeconds / 5, 1)} s; ` +
      `${o.workers} workers × ${o.concurrency}, poll ${o.pollSeconds} s; ${server.description} (PostgreSQL ${database.serverVersion}), Node ${process.version}, ${availableParallelism()} CPUs`;
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `${o.json ? JSON.stringify({ command: commandLine(o), ...result }, null, 2) : formatRush(result, o, seconds, header)}\n`,
    );
  } finally {
    await loop.close();
    await database.drop();
    await server.stop();
  }
}

await new Command()
  .name("window-rush")
  .description(
    "leads due at the same instant under DIAL_MAX_CONCURRENT, calls lasting seconds: time to the cap, slots busy, order, free-slot waits",
  )
  .option("--leads <n>", `leads due at the opening (the issue's size: ${FULL_SIZE})`, "3000")
  .option("--call-seconds <s>", "how long each call lasts on the simulator", "10")
  .option("--jitter-seconds <s>", "call length spread (default: a fifth of --call-seconds)")
  .option("--max-concurrent <n>", "DIAL_MAX_CONCURRENT, and Bland's concurrency cap on the simulator", "100")
  .option("--callback-every <n>", "every n-th lead has a callback due at the opening (0: none)", "20")
  .option("--workers <n>", "in-process workers", "2")
  .option("--concurrency <n>", "WORKER_CONCURRENCY", "10")
  .option("--poll-seconds <s>", "WORKER_POLL_SECONDS", "0.5")
  .option(
    "--for-seconds <s>",
    "measure this long after the opening, then stop (for --leads 100000: hours to drain)",
  )
  .option("--json", "print the result as JSON")
  .action(async (options: Record<string, unknown>) => {
    await main(options);
    process.exit(0);
  })
  .parseAsync(process.argv);
