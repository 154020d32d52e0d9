/**
 * @redial/reports — the business reports over our tables, one implementation behind the CLI, the
 * HTTP API and `statistics/today`: breakdown (leads of a period by where they stand), range (calls
 * per campaign day), totals (lifetime snapshot), capacity (expected daily calls against the dial
 * limits), statistics of today, and formatReport (table, JSON, CSV). Every number is defined once,
 * in the glossary of README.md, which also documents the reporting.* views for analysts.
 */
export { type Breakdown, breakdownReport } from "./breakdown-report.ts";
export {
  type Capacity,
  type CapacityInput,
  type CapacityLimit,
  capacityOf,
  capacityReport,
  type DialLimits,
} from "./capacity-report.ts";
export { formatReport, type Report, type ReportFormat } from "./format-report.ts";
export {
  type LastOutcomeCounts,
  type OutcomeKey,
  STANDINGS,
  STILL_REDIALING_STATUSES,
  type Standing,
} from "./lead-standing.ts";
export { hourlyCallsReport, type QueueReport, queueReport } from "./queue-report.ts";
export { type RangeReport, type RangeRow, rangeReport } from "./range-report.ts";
export { ReportArgumentError } from "./report-error.ts";
export { capacityInput, type FleetDialLimits, type ReportClock, reportPeriod } from "./report-inputs.ts";
export { previousDay, type ReportPeriod } from "./report-period.ts";
export { statisticsForDay, statisticsToday, type TodayStatistics } from "./statistics-today.ts";
export { type Totals, totalsReport } from "./totals-report.ts";
