import { assertNever } from "@redial/domain";
import { stringify } from "csv-stringify/sync";
import type { Breakdown } from "./breakdown-report.ts";
import type { Capacity } from "./capacity-report.ts";
import type { RangeReport } from "./range-report.ts";
import { breakdownTable, capacityTable, rangeTable, totalsTable } from "./report-table.ts";
import type { Totals } from "./totals-report.ts";

export type Report = Breakdown | RangeReport | Totals | Capacity;
export type ReportFormat = "table" | "json" | "csv";

/** One report as an aligned table (for a terminal), JSON (snake_case, as the HTTP API) or CSV. */
export function formatReport(report: Report, format: ReportFormat): string {
  switch (format) {
    case "table":
      return `${table(report)}\n`;
    case "json":
      return `${JSON.stringify(report, null, 2)}\n`;
    case "csv":
      return stringify(csvRecords(report), { header: true, cast: { boolean: (b) => String(b) } });
    default:
      return assertNever(format);
  }
}

function table(report: Report): string {
  switch (report.report) {
    case "breakdown":
      return breakdownTable(report);
    case "range":
      return rangeTable(report);
    case "totals":
      return totalsTable(report);
    case "capacity":
      return capacityTable(report);
    default:
      return assertNever(report);
  }
}

/** CSV rows: one per campaign day plus `total` for the range report, a single row otherwise. */
function csvRecords(report: Report): Record<string, unknown>[] {
  if (report.report === "range") {
    const context = { from: report.from, to: report.to, timezone: report.timezone };
    return [...report.days, report.total].map((row) => flatten({ ...context, ...row }));
  }
  return [flatten(report)];
}

/** Nested maps become prefixed columns (`outcome_counts_voicemail`); null becomes an empty cell. */
export function flatten(value: object, prefix = ""): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v !== null && typeof v === "object") Object.assign(flat, flatten(v, `${prefix}${key}_`));
    else flat[`${prefix}${key}`] = v ?? "";
  }
  return flat;
}
