/** A report was asked for with arguments it cannot answer; the message says what to pass instead. */
export class ReportArgumentError extends Error {
  readonly code: "invalid_day" | "invalid_period" | "invalid_timezone" | "invalid_capacity_input";
  constructor(code: ReportArgumentError["code"], message: string) {
    super(message);
    this.name = "ReportArgumentError";
    this.code = code;
  }
}
