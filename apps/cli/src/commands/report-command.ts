import { loadConfig } from "@redial/config";
import { createDb } from "@redial/db";
import {
  breakdownReport,
  capacityInput,
  capacityReport,
  formatReport,
  type Report,
  type ReportFormat,
  rangeReport,
  reportPeriod,
  totalsReport,
} from "@redial/reports";
import {
  databaseCalendar,
  dialLimitsEnv,
  dialLimitsOf,
  policyFromEnv,
  redialPolicyEnv,
} from "@redial/services";
import type { Command } from "commander";
import { z } from "zod";

const reportEnvSchema = z.object({
  DATABASE_URL: z.string().url({ message: "a postgres:// connection string of the database to report on" }),
  ...redialPolicyEnv,
  ...dialLimitsEnv,
});

type ReportName = "breakdown" | "range" | "totals" | "capacity";

interface ReportOptions {
  from?: string;
  to?: string;
  json?: boolean;
  csv?: boolean;
}

/** `redial report <name> --from --to [--json|--csv]`: the same SQL as GET /v1/reports/<name>. */
export function registerReportCommands(program: Command, write: (text: string) => void): void {
  const report = program
    .command("report")
    .description("business reports over our tables (campaign-timezone days)");
  const describe: Record<ReportName, string> = {
    breakdown:
      "leads created in the period by where they stand: SALE, DNC, still redialing, paused; transferred and still redialing",
    range:
      "calls, redials, outcomes, sales by lead and by call, connectivity and transfer rates, cost — per day and in total",
    totals: "lifetime leads by where they stand, created today / yesterday / older, daily max reached today",
    capacity: "leads still redialing × max per day against what the window and the dial limits allow",
  };
  for (const name of Object.keys(describe) as ReportName[]) {
    const command = report
      .command(name)
      .description(describe[name])
      .option("--json", "JSON output")
      .option("--csv", "CSV output");
    if (name === "breakdown" || name === "range") {
      command
        .option("--from <day>", "first campaign day, YYYY-MM-DD (default: 30 days ago)")
        .option("--to <day>", "last campaign day, YYYY-MM-DD (default: today)");
    }
    command.action(async (options: ReportOptions) => write(await runReport(name, options)));
  }
}

async function runReport(name: ReportName, options: ReportOptions): Promise<string> {
  const env = loadConfig(reportEnvSchema);
  const db = createDb(env.DATABASE_URL, { max: 2 });
  try {
    const ctx = { db, calendar: databaseCalendar(db), now: () => new Date(), policy: policyFromEnv(env) };
    const period = await reportPeriod(ctx, { from: options.from, to: options.to });
    const result: Report =
      name === "breakdown"
        ? await breakdownReport(db, period)
        : name === "range"
          ? await rangeReport(db, period)
          : name === "totals"
            ? await totalsReport(db, { timezone: period.timezone, today: period.today })
            : await capacityReport(db, await capacityInput(ctx, dialLimitsOf(env)));
    return formatReport(result, outputFormat(options));
  } finally {
    await db.destroy();
  }
}

function outputFormat(options: ReportOptions): ReportFormat {
  if (options.json) return "json";
  if (options.csv) return "csv";
  return "table";
}
