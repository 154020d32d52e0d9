import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLogger } from "@redial/config";
import { Command } from "commander";
import { z } from "zod";
import { type BaselineResult, medianRun, runBaseline, type WorkerShape } from "./baseline.ts";
import { runCycles } from "./cycles.ts";
import { runQueueBurst, runSkeleton } from "./floors.ts";
import { runLag } from "./lag.ts";
import { startBenchLoop } from "./loop.ts";
import { type BenchReport, evaluateTargets, explain, formatReport } from "./report.ts";
import { createScratchDatabase, openBenchServer } from "./scratch-database.ts";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../../..");

const count = (name: string, min: number) =>
  z.coerce.number().int().min(min, `${name} must be a whole number ≥ ${min}`);

/** `pnpm bench` options (commander hands them over as strings). */
export const benchOptionsSchema = z.object({
  leads: count("--leads", 1).default(1000),
  cycles: count("--cycles", 1).default(3000),
  jobs: count("--jobs", 1).default(1000),
  baselineRuns: count("--baseline-runs", 1).default(3),
  workers: count("--workers", 1).default(2),
  concurrency: count("--concurrency", 1).max(200).default(10),
  pollSeconds: z.coerce.number().min(0.5, "--poll-seconds must be ≥ 0.5 (pg-boss's minimum)").default(0.5),
  due: count("--due", 1).default(10_000),
  trickleRate: z.coerce.number().positive().optional(),
  trickleSeconds: z.coerce.number().positive().default(10),
  json: z.boolean().default(false),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("silent"),
});
export type BenchOptions = z.infer<typeof benchOptionsSchema>;

export interface BenchEnvironment {
  databaseUrl: string | undefined;
  embeddedPort: number;
}

/**
 * `pnpm bench`: in one run on one scratch database, (1) raw pg-boss jobs/s, (2) full call cycles/s
 * through the real API and workers against the simulator, (3) their ratio, (4) due-time lag for a
 * burst of due leads and for a trickle, (5) PostgreSQL commits per cycle; and two floors, the
 * queue and HTTP steps of a cycle without our SQL (runSkeleton) and pg-boss alone draining the
 * burst (runQueueBurst), which bound what the targets can reach on this machine; and the cycles
 * again with every write in the locked transaction (DATABASE_OPTIMISTIC_WRITES=false), what
 * the optimistic writes (read unlocked, write if unchanged) are measured against.
 */
export async function benchCommand(
  rawOptions: Record<string, unknown>,
  environment: BenchEnvironment,
  print: (text: string) => void,
  progress: (line: string) => void,
): Promise<BenchReport> {
  const options = benchOptionsSchema.parse(rawOptions);
  if (options.cycles > options.leads * 90)
    throw new Error(
      `--cycles ${options.cycles} needs more leads: each lead may be called at most 100 times a day (give --leads ≥ ${Math.ceil(options.cycles / 90)}).`,
    );
  const started = performance.now();
  const shape: WorkerShape = {
    workers: options.workers,
    concurrency: options.concurrency,
    pollSeconds: options.pollSeconds,
  };
  const log = createLogger({ name: "bench", level: options.logLevel, pretty: false });
  const server = await openBenchServer({
    databaseUrl: environment.databaseUrl,
    embeddedDataDir: join(REPO_ROOT, ".data/bench-postgres/data"),
    embeddedPort: environment.embeddedPort,
  });
  const database = await createScratchDatabase(server.url, `redial_bench_${process.pid}`).catch(
    async (error: unknown) => {
      await server.stop();
      throw error;
    },
  );
  const interrupted = async () => {
    progress("interrupted: dropping the scratch database");
    await database.drop();
    await server.stop();
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  const loop = await startBenchLoop(log);
  try {
    const runs: BaselineResult[] = [];
    for (let run = 1; run <= options.baselineRuns; run++) {
      progress(`baseline: ${options.jobs} pg-boss jobs (run ${run} of ${options.baselineRuns})…`);
      runs.push(await runBaseline(database, shape, options.jobs));
    }
    const baseline = medianRun(runs);
    progress(`skeleton: ${options.cycles} cycles of the queue and HTTP steps alone…`);
    const skeleton = await runSkeleton(database, loop, shape, options);
    // The locked transactions first: the optimistic run then works on the larger tables.
    progress(`cycles, locked transactions only: ${options.leads} leads, ${options.cycles} cycles…`);
    const lockedCycles = await runCycles(database, loop, shape, options, "locked");
    progress(`cycles: ${options.leads} leads, ${options.cycles} cycles…`);
    const cycles = await runCycles(database, loop, shape, options);
    progress(`queue burst: ${options.due} pg-boss jobs due at once, no-op handler…`);
    const queueBurst = await runQueueBurst(database, shape, options.due);
    progress(`due lag: ${options.due} leads due at once…`);
    const burst = await runLag(database, loop, shape, {
      scenario: "burst",
      leads: options.due,
      spreadSeconds: 0,
    });
    const rate = options.trickleRate ?? Math.max(1, Math.floor(cycles.cyclesPerSecond / 2));
    progress(`due lag: a trickle of ${rate} leads/s for ${options.trickleSeconds} s…`);
    const trickle = await runLag(database, loop, shape, {
      scenario: "trickle",
      leads: Math.max(2, Math.round(rate * options.trickleSeconds)),
      spreadSeconds: options.trickleSeconds,
    });
    const partial = {
      command: commandLine(options),
      environment: {
        database: server.description,
        scratchDatabase: database.name,
        postgres: database.serverVersion,
        node: process.version,
        cpus: availableParallelism(),
      },
      shape,
      baseline,
      skeleton,
      cycles,
      lockedCycles,
      ratio: cycles.cyclesPerSecond / baseline.jobsPerSecond,
      skeletonRatio: skeleton.cyclesPerSecond / baseline.jobsPerSecond,
      queueBurst,
      burst,
      trickle,
    };
    const report: BenchReport = {
      ...partial,
      targets: evaluateTargets(partial),
      notes: explain({ ...partial, targets: evaluateTargets(partial) }),
      totalSeconds: (performance.now() - started) / 1000,
    };
    print(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return report;
  } finally {
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
    await loop.close();
    await database.drop();
    await server.stop();
  }
}

function commandLine(options: BenchOptions): string {
  return [
    "pnpm bench",
    `--leads ${options.leads}`,
    `--cycles ${options.cycles}`,
    `--jobs ${options.jobs}`,
    `--baseline-runs ${options.baselineRuns}`,
    `--workers ${options.workers}`,
    `--concurrency ${options.concurrency}`,
    `--due ${options.due}`,
    ...(options.pollSeconds !== 0.5 ? [`--poll-seconds ${options.pollSeconds}`] : []),
    ...(options.trickleRate ? [`--trickle-rate ${options.trickleRate}`] : []),
    ...(options.trickleSeconds !== 10 ? [`--trickle-seconds ${options.trickleSeconds}`] : []),
    ...(options.json ? ["--json"] : []),
  ].join(" ");
}

/** `pnpm bench [options]` (tools/bench/src/main.ts): its options arrive as strings and are checked by benchOptionsSchema. */
export function benchProgram(log: (line: string) => void): Command {
  return new Command()
    .name("pnpm bench")
    .description(
      "dial-loop benchmark on a scratch database: pg-boss baseline, call cycles/s, due-time lag, commits per cycle, and the floors of the queue and HTTP steps alone",
    )
    .option("--leads <n>", "leads cycling in the call-cycle phase", "1000")
    .option("--cycles <n>", "call cycles timed in the call-cycle phase", "3000")
    .option("--jobs <n>", "jobs of the raw pg-boss baseline", "1000")
    .option("--baseline-runs <n>", "baseline runs; the median one is the baseline", "3")
    .option("--workers <n>", "in-process workers (one pg-boss instance each)", "2")
    .option("--concurrency <n>", "dial jobs at once per worker (WORKER_CONCURRENCY)", "10")
    .option("--poll-seconds <s>", "pg-boss polling interval (WORKER_POLL_SECONDS)", "0.5")
    .option("--due <n>", "leads due at the same instant in the lag phase", "10000")
    .option("--trickle-rate <n>", "leads due per second in the trickle (default: half the cycle throughput)")
    .option("--trickle-seconds <s>", "length of the trickle", "10")
    .option("--json", "print the report as JSON")
    .option("--log-level <level>", "log level of the in-process api and workers", "silent")
    .showHelpAfterError()
    .action(async (options: Record<string, unknown>) => {
      await benchCommand(
        options,
        {
          databaseUrl: process.env.DATABASE_URL,
          embeddedPort: Number(process.env.EMBEDDED_PG_PORT ?? 54331),
        },
        log,
        (line) => process.stderr.write(`${line}\n`),
      );
      process.exit(0);
    });
}
