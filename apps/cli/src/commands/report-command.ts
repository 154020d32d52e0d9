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
  totalsReport,
} from "@redial/reports";
import {
  checkedReportPeriod,
  DEFAULT_REPORT_MAX_DAYS,
  databaseCalendar,
  dialLimitsEnv,
  dialLimitsOf,
  policyFromEnv,
  redialPolicyEnv,
  reportDay,
  withReportTimeout,
} from "@redial/services";
import type { Command } from "commander";
import { z } from "zod";

const reportEnvSchema = z.object({
  DATABASE_URL: z.string().url({ message: "a postgres:// connection string of the database to report on" }),
  ...redialPolicyEnv,
  ...dialLimitsEnv,
  REPORT_MAX_DAYS: z.coerce.number().int().min(1).max(3660).default(DEFAULT_REPORT_MAX_DAYS),
  REPORT_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
});

export type ReportName = "breakdown" | "range" | "totals" | "capacity";

export interface ReportOptions {
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

/**
 * One report as text. `--from`/`--to` are checked before the database is opened (real days,
 * from ≤ to, at most REPORT_MAX_DAYS); the queries run under REPORT_STATEMENT_TIMEOUT_MS.
 */
export async function runReport(
  name: ReportName,
  options: ReportOptions,
  environment: Record<string, string | undefined> = process.env,
): Promise<string> {
  const env = loadConfig(reportEnvSchema, environment);
  for (const flag of ["from", "to"] as const) {
    const day = options[flag];
    if (day !== undefined && !reportDay.safeParse(day).success)
      throw new Error(`--${flag} ${day}: not a calendar date written YYYY-MM-DD between 2000 and 2099.`);
  }
  const db = createDb(env.DATABASE_URL, { max: 2 });
  try {
    const ctx = { db, calendar: databaseCalendar(db), now: () => new Date(), policy: policyFromEnv(env) };
    const period = await checkedReportPeriod(
      ctx,
      { from: options.from, to: options.to },
      env.REPORT_MAX_DAYS,
    );
    const capacity = name === "capacity" ? await capacityInput(ctx, dialLimitsOf(env)) : undefined;
    const result = await withReportTimeout<Report>(db, env.REPORT_STATEMENT_TIMEOUT_MS, (trx) =>
      name === "breakdown"
        ? breakdownReport(trx, period)
        : name === "range"
          ? rangeReport(trx, period)
          : name === "totals"
            ? totalsReport(trx, { timezone: period.timezone, today: period.today })
            : capacityReport(trx, capacity as NonNullable<typeof capacity>),
    );
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
