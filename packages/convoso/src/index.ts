export { createConvosoClient } from "./convoso-client.ts";
export { ConvosoError, type ConvosoErrorCode } from "./convoso-error.ts";
export type { ConvosoLead, LeadSearchResult } from "./convoso-lead.ts";
export {
  BAD_NUMBER_STATUSES,
  CONVOSO_STATUS_CLASSES,
  type ConvosoStatus,
  type ConvosoStatusClass,
  type ConvosoStatusOverrides,
  type ConvosoStatusReading,
  classifyConvosoStatus,
  readConvosoStatus,
} from "./convoso-status.ts";
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
  parseStatusOverrides,
} from "./outcome-status-map.ts";
export { toTenDigits } from "./ten-digit-phone.ts";
