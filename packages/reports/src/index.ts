/**
 * @redial/reports — the business reports over our tables, one implementation behind the CLI and
 * the HTTP API: breakdown (leads of a period by where they stand), range (calls per campaign day),
 * totals (lifetime snapshot), capacity (expected daily calls against the dial limits), and
 * formatReport (table, JSON, CSV). Every number is defined in README.md.
 */
export {
  type Breakdown,
  breakdownReport,
  type LastOutcomeCounts,
  type OutcomeKey,
} from "./breakdown-report.ts";
export {
  type Capacity,
  type CapacityInput,
  type CapacityLimit,
  capacityOf,
  capacityReport,
  type DialLimits,
} from "./capacity-report.ts";
export { formatReport, type Report, type ReportFormat } from "./format-report.ts";
export { type RangeReport, type RangeRow, rangeReport } from "./range-report.ts";
export { ReportArgumentError } from "./report-error.ts";
export type { ReportPeriod } from "./report-period.ts";
export { type Totals, totalsReport } from "./totals-report.ts";
