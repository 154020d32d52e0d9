import { Command } from "commander";
import { registerBackfillCommands } from "./commands/backfill-commands.ts";
import { benchCommand } from "./commands/bench-command.ts";
import { migrateCommand } from "./commands/migrate-command.ts";
import { registerReportCommands } from "./commands/report-command.ts";
import { startAll } from "./commands/start-all.ts";

/** `pnpm redial <command>`: the operator's tool. `--help` lists the commands. */
const program = new Command()
  .name("redial")
  .description("Redial: outbound redial orchestrator (Bland AI calls, Convoso leads)")
  .showHelpAfterError();

const log = (line: string) => process.stdout.write(`${line}\n`);

program
  .command("start")
  .description("run api + worker + simulator (embedded PostgreSQL unless DATABASE_URL is set)")
  .action(async () => startAll({ env: process.env, log }));

program
  .command("migrate")
  .description("apply the SQL migrations and pg-boss's schema to DATABASE_URL")
  .action(async () => migrateCommand(process.env.DATABASE_URL, log));

registerReportCommands(program, (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`));

program
  .command("bench")
  .description(
    "dial-loop benchmark on a scratch database: pg-boss baseline, call cycles/s, due-time lag, commits per cycle",
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
  .action(async (options: Record<string, unknown>) => {
    await benchCommand(
      options,
      { databaseUrl: process.env.DATABASE_URL, embeddedPort: Number(process.env.EMBEDDED_PG_PORT ?? 54331) },
      log,
      (line) => process.stderr.write(`${line}\n`),
    );
    process.exit(0);
  });

registerBackfillCommands(program, (signal) => ({
  env: process.env,
  write: (text) => process.stdout.write(`${text}\n`),
  writeProgress: (line) => process.stderr.write(`${line}\n`),
  isTTY: process.stderr.isTTY === true,
  signal,
}));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`redial: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
