/** The backfill (redial backfill bland / webhook-logs): see run-backfill.ts and backfill-types.ts. */
export {
  BackfillError,
  type BackfillErrorCode,
  InvalidBackfillRange,
  NothingToResume,
  SourceUnreadable,
} from "./backfill-errors.ts";
export type {
  BackfillProgress,
  BackfillSourceName,
  BackfillSummary,
  CallSource,
  ImportCounters,
  PhoneDecision,
  PhoneResult,
} from "./backfill-types.ts";
export { type BlandSourceOptions, blandCallSource } from "./bland-call-source.ts";
export { type BackfillCall, listItemSuffices, toImportableCall } from "./call-to-attempt.ts";
export { type CampaignRange, campaignDayStartMs, campaignRange } from "./campaign-range.ts";
export { decidePhone, planPhone } from "./phone-decision.ts";
export { type BackfillDeps, type BackfillOptions, runBackfill } from "./run-backfill.ts";
export { jsonlCallSource, parseCallLine, webhookEventSource } from "./webhook-log-sources.ts";
