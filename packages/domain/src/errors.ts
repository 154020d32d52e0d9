/**
 * Named errors of the domain. Each carries a string code so the edges (API, worker, CLI) can map
 * it to a response or a log line without parsing messages. The domain never throws HTTP errors.
 */
export type DomainErrorCode =
  | "INVALID_INTERVALS"
  | "NO_CALLING_WINDOW"
  | "INVALID_DAY"
  | "DECISION_DID_NOT_SETTLE";

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
    super("INVALID_INTERVALS", message);
  }
}

/** No legal calling instant exists for a lead within the search horizon (e.g. no calling day configured). */
export class NoCallingWindowError extends DomainError {
  constructor(message: string) {
    super("NO_CALLING_WINDOW", message);
  }
}

/** A calendar day string was not `YYYY-MM-DD`. */
export class InvalidDayError extends DomainError {
  constructor(day: string) {
    super("INVALID_DAY", `"${day}" is not a calendar day: pass it as YYYY-MM-DD, e.g. 2026-03-09.`);
  }
}

/** The decision loop did not converge: a bug, reported with the inputs' summary. */
export class DecisionDidNotSettleError extends DomainError {
  constructor(message: string) {
    super("DECISION_DID_NOT_SETTLE", message);
  }
}
