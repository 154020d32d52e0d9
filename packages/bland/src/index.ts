export { createBlandClient } from "./bland-client.ts";
export { BlandError, type BlandErrorCode, isSafeToRetry } from "./bland-error.ts";
export type {
  BlandCall,
  BlandClient,
  BlandClientOptions,
  CallListItem,
  CreateCallRequest,
  IterateCallsQuery,
  ListCallsQuery,
  ListCallsResult,
  PathwayTag,
  VoicemailOptions,
} from "./bland-types.ts";
export { signWebhook, verifyWebhookSignature } from "./webhook-signature.ts";
