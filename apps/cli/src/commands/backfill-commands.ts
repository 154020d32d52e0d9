import type { Command } from "commander";
import {
  type BackfillIo,
  type BlandFlags,
  backfillBland,
  backfillWebhookLogs,
  type WebhookLogsFlags,
} from "./backfill-command.ts";

/**
 * `redial backfill bland|webhook-logs`. Ctrl-C stops after the current batch (a second one kills);
 * the interrupted run continues with the same command and --resume.
 */
export function registerBackfillCommands(program: Command, ioOf: (signal: AbortSignal) => BackfillIo): void {
  const backfill = program
    .command("backfill")
    .description("import past calls as call attempts and queue every lead that is neither SALE nor DNC");
  const run = async <F>(
    command: (flags: F, io: BackfillIo) => Promise<{ interrupted: boolean }>,
    flags: F,
  ) => {
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once("SIGINT", stop);
    try {
      const summary = await command(flags, ioOf(controller.signal));
      if (summary.interrupted) process.exitCode = 130;
    } finally {
      process.off("SIGINT", stop);
    }
  };
  withCommonOptions(
    backfill
      .command("bland")
      .description("from Bland's call history (GET /v1/calls) over campaign days --from..--to")
      .requiredOption("--from <day>", "first campaign day, YYYY-MM-DD")
      .option("--to <day>", "last campaign day, YYYY-MM-DD, inclusive (default: today)")
      .option("--full-calls", "fetch every call in full (exact cost), not only those the list cannot decide")
      .option("--concurrency <n>", "GET /v1/calls/:id in flight at once", "8"),
  ).action((flags: BlandFlags) => run(backfillBland, flags));
  withCommonOptions(
    backfill
      .command("webhook-logs")
      .description("from a JSON Lines file of Bland call objects, or our stored Bland webhook events")
      .option(
        "--file <path>",
        "JSON Lines file, one call object per line (default: the webhook_events table)",
      )
      .option("--from <day>", "only calls created on or after this campaign day, YYYY-MM-DD"),
  ).action((flags: WebhookLogsFlags) => run(backfillWebhookLogs, flags));
}

function withCommonOptions(command: Command): Command {
  return command
    .option("--dry-run", "change nothing; print what would change")
    .option("--batch-size <n>", "phones per Convoso batch", "50")
    .option("--import-batch-size <n>", "calls per import transaction (and checkpoint)", "200")
    .option("--resume", "continue the interrupted run of the same source and range")
    .option("--json", "print the summary (with every phone list) as JSON");
}
