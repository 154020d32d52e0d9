/**
 * Named errors of the domain. Each carries a string code (lower snake_case, as every error code of
 * the codebase and the API's) so the edges (API, worker, CLI) can map
 * it to a response or a log line without parsing messages. The domain never throws HTTP errors.
 */
export type DomainErrorCode =
  | "invalid_intervals"
  | "no_calling_window"
  | "invalid_day"
  | "decision_did_not_settle";

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  constructor(code: DomainErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** `parseIntervals` got text that is not a list of non-negative minutes. */
export class InvalidIntervalsError extends DomainError {
  constructor(message: string) {
    super("invalid_intervals", message);
  }
}

/** No legal calling instant exists for a lead within the search horizon (e.g. no calling day configured). */
export class NoCallingWindowError extends DomainError {
  constructor(message: string) {
    super("no_calling_window", message);
  }
}

/** A calendar day string was not `YYYY-MM-DD`. */
export class InvalidDayError extends DomainError {
  constructor(day: string) {
    super("invalid_day", `"${day}" is not a calendar day: pass it as YYYY-MM-DD, e.g. 2026-03-09.`);
  }
}

/** The decision loop did not converge: a bug, reported with the inputs' summary. */
export class DecisionDidNotSettleError extends DomainError {
  constructor(message: string) {
    super("decision_did_not_settle", message);
  }
}
