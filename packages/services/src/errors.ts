/** Named errors of the use cases; the API maps each `code` to an HTTP status in one place. */
export type ServiceErrorCode =
  | "invalid_phone"
  | "phone_on_dnc"
  | "invalid_input"
  | "lead_completed"
  | "unknown_call"
  | "convoso_lead_ambiguous"
  | "convoso_lead_mismatch"
  | "call_id_conflict";

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

/** A field of the input is refused; `field` names it as the sender spelled it. */
export class InvalidField extends ServiceError {
  readonly field: string;
  constructor(field: string, message: string) {
    super("invalid_input", `${field}: ${message}`);
    this.name = "InvalidField";
    this.field = field;
  }
}

/** A Convoso lead id that more than one of our leads carries: which one is meant cannot be told. */
export class ConvosoLeadAmbiguous extends ServiceError {
  constructor(convosoLeadId: string, leadIds: readonly number[]) {
    super(
      "convoso_lead_ambiguous",
      `Convoso lead_id ${convosoLeadId} belongs to ${leadIds.length} of our leads (${leadIds.join(", ")}): nothing was changed. Send phone_number (and list_id) with it, or fix the leads by hand.`,
    );
    this.name = "ConvosoLeadAmbiguous";
  }
}

/** The phone and the Convoso lead id of one message name different leads of ours. */
export class ConvosoLeadMismatch extends ServiceError {
  constructor(convosoLeadId: string, holders: readonly number[], byPhone: number | null) {
    super(
      "convoso_lead_mismatch",
      `Convoso lead_id ${convosoLeadId} belongs to our lead ${holders.join(", ")}, but phone_number is ${byPhone === null ? "no lead of ours" : `lead ${byPhone}`}: nothing was changed. Check which lead Convoso means.`,
    );
    this.name = "ConvosoLeadMismatch";
  }
}

/** A Bland result whose call_id belongs to another attempt than the one its metadata names: not applied. */
export class CallIdConflict extends ServiceError {
  constructor(reason: string) {
    super(
      "call_id_conflict",
      `The result was not applied: ${reason}. It is kept as a webhook event marked conflict; check which attempt placed this call.`,
    );
    this.name = "CallIdConflict";
  }
}
