import { withoutEmptyValues } from "@redial/config";
import { Command } from "commander";
import { registerBackfillCommands } from "./commands/backfill-commands.ts";
import { registerConvosoCommands } from "./commands/convoso-command.ts";
import { registerDemoCommand } from "./commands/demo-command.ts";
import { registerEvidenceCommand } from "./commands/evidence-command.ts";
import { registerLeadsCommands } from "./commands/leads-command.ts";
import { migrateCommand } from "./commands/migrate-command.ts";
import { registerReportCommands } from "./commands/report-command.ts";
import { startAll } from "./commands/start-all.ts";

/** `pnpm redial <command>`: the operator's tool. `--help` lists the commands. */
const program = new Command()
  .name("redial")
  .description("Redial: outbound redial orchestrator (Bland AI calls, Convoso leads)")
  .showHelpAfterError();

const log = (line: string) => process.stdout.write(`${line}\n`);
/** The environment (with .env when the script loaded it); an empty value counts as unset. */
const env = withoutEmptyValues(process.env);

program
  .command("start")
  .description("run api + worker + simulator (embedded PostgreSQL unless DATABASE_URL is set)")
  .action(async () => startAll({ env, log }));

program
  .command("migrate")
  .description("apply the SQL migrations and pg-boss's schema to DATABASE_URL")
  .action(async () => migrateCommand(env.DATABASE_URL, log));

registerReportCommands(program, (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`));

registerLeadsCommands(program, {
  env,
  write: log,
  writeProgress: (line) => process.stderr.write(`${line}\n`),
  isTTY: process.stderr.isTTY === true,
});

registerEvidenceCommand(program, {
  env,
  write: (text) => process.stdout.write(text),
});

registerDemoCommand(program, log);
registerConvosoCommands(program, { env: process.env, write: log });

registerBackfillCommands(program, (signal) => ({
  env,
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
