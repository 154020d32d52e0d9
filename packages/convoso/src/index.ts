export { createConvosoClient } from "./convoso-client.ts";
export { ConvosoError, type ConvosoErrorCode } from "./convoso-error.ts";
export type { ConvosoLead, LeadSearchResult } from "./convoso-lead.ts";
export { type ConvosoStatus, type ConvosoStatusClass, classifyConvosoStatus } from "./convoso-status.ts";
export type {
  ConvosoClient,
  ConvosoClientOptions,
  DncInsertOptions,
  LeadInsertFields,
  LeadSearchQuery,
  LeadUpdateFields,
} from "./convoso-types.ts";
export {
  DEFAULT_OUTCOME_STATUS_MAP,
  InvalidOutcomeStatusMap,
  parseOutcomeStatusMap,
} from "./outcome-status-map.ts";
export { parseRetryAfter } from "./retry-after.ts";
export { toTenDigits } from "./ten-digit-phone.ts";
