/** Named errors of the use cases; the API maps each `code` to an HTTP status in one place. */
export type ServiceErrorCode =
  | "invalid_phone"
  | "phone_on_dnc"
  | "invalid_input"
  | "lead_completed"
  | "unknown_call";

export class ServiceError extends Error {
  readonly code: ServiceErrorCode;
  constructor(code: ServiceErrorCode, message: string) {
    super(message);
    this.name = "ServiceError";
    this.code = code;
  }
}

export class InvalidPhone extends ServiceError {
  constructor(input: string) {
    super(
      "invalid_phone",
      `"${input}" is not a valid US phone number. Send 10 digits (area code first), with or without +1.`,
    );
    this.name = "InvalidPhone";
  }
}

export class PhoneOnDncList extends ServiceError {
  constructor(phone: string) {
    super(
      "phone_on_dnc",
      `${phone} is on the do-not-call list and cannot be added or dialed. Remove it from the DNC list first if that is a mistake.`,
    );
    this.name = "PhoneOnDncList";
  }
}

export class LeadCompleted extends ServiceError {
  constructor(id: number, outcome: string) {
    super("lead_completed", `Lead ${id} is completed (${outcome}) and is never dialed again.`);
    this.name = "LeadCompleted";
  }
}
