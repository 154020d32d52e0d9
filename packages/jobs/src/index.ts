/** pg-boss for Redial: the job catalog, the boss factory, and scheduling a lead's dial job. */
export type { PgBoss } from "pg-boss";
export {
  type BossOptions,
  createBoss,
  ensureQueues,
  JOB_STATEMENTS_SCHEMA_VERSION,
  jobStatementsMatchSchema,
  prepareQueues,
  QUEUED_JOB_ID_INDEX,
} from "./boss.ts";
export {
  type ConvosoSyncPayload,
  type DialPayload,
  parsePayload,
  QUEUES,
  type QueueName,
} from "./catalog.ts";
export { cancelDialJob, dialJobDelaySeconds, findDialJob, scheduleDialJob } from "./dial-jobs.ts";
