import { createLogger, parseConfig } from "@redial/config";
import { createDb } from "@redial/db";
import {
  policyRuntimeOptions,
  type RelocateSummary,
  redialPolicyEnv,
  relocateLeads,
  startRuntime,
} from "@redial/services";
import type { Command } from "commander";
import { z } from "zod";
import { registerLeadsImportCommand } from "./leads-import-command.ts";

const leadsEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .url({ message: "a postgres:// connection string of the database whose leads to relocate" }),
  ...redialPolicyEnv,
});

export interface LeadsCommandIo {
  env: Record<string, string | undefined>;
  write: (line: string) => void;
  writeProgress: (line: string) => void;
  /** Progress as a bar (a terminal) or as plain lines. */
  isTTY?: boolean;
}

/**
 * `redial leads relocate [--dry-run] [--batch-size N]`: after the location tables change (area
 * codes, the zones of a state), give the stored leads the zones and states those tables give them
 * now, and decide again the next dial of those that gained one.
 */
export async function relocateCommand(
  options: { dryRun?: boolean; batchSize?: string | number },
  io: LeadsCommandIo,
): Promise<RelocateSummary> {
  const batchSize = Number(options.batchSize ?? 1000);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`--batch-size must be a whole number ≥ 1, got "${options.batchSize}"`);
  const env = parseConfig(leadsEnvSchema, io.env);
  const progress = (s: RelocateSummary) =>
    io.writeProgress(
      `checked ${s.checked} leads, ${s.widened} to widen${options.dryRun ? "" : `, ${s.rescheduled} rescheduled`}`,
    );
  let summary: RelocateSummary;
  if (options.dryRun) {
    // Reads only: no queue, nothing written.
    const db = createDb(env.DATABASE_URL, { max: 2 });
    try {
      summary = await relocateLeads({ db }, { dryRun: true, batchSize, onBatch: progress });
    } finally {
      await db.destroy();
    }
  } else {
    const runtime = await startRuntime({
      databaseUrl: env.DATABASE_URL,
      ...policyRuntimeOptions(env),
      log: createLogger({ name: "leads", level: "warn", pretty: false }),
      poolSize: 3,
    });
    try {
      summary = await relocateLeads(runtime.ctx, { batchSize, onBatch: progress });
    } finally {
      await runtime.stop();
    }
  }
  io.write(
    options.dryRun
      ? `dry run: ${summary.checked} leads not completed, ${summary.widened} would gain a zone or state (nothing written)`
      : `${summary.checked} leads not completed, ${summary.widened} gained a zone or state, ${summary.rescheduled} rescheduled`,
  );
  return summary;
}

export function registerLeadsCommands(program: Command, io: LeadsCommandIo): void {
  const leads = program.command("leads").description("operations on the stored leads");
  registerLeadsImportCommand(leads, io);
  leads
    .command("relocate")
    .description(
      "after a change to the location tables: every lead not completed gains the zones and states they give it now; those that gained one are rescheduled",
    )
    .option("--dry-run", "count the leads that would change, write nothing")
    .option("--batch-size <n>", "leads per transaction", "1000")
    .action(async (options: { dryRun?: boolean; batchSize?: string }) => {
      await relocateCommand(options, io);
    });
}
