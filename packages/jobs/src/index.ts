/** pg-boss for Redial: the job catalog, the boss factory, and the only SQL of ours on pg-boss's tables. */
export type { PgBoss } from "pg-boss";
export { type BossOptions, createBoss, ensureQueues, prepareQueues } from "./boss.ts";
export {
  type ConvosoSyncPayload,
  type DialPayload,
  parsePayload,
  QUEUES,
  type QueueName,
} from "./catalog.ts";
export { scheduleDialJob } from "./dial-jobs.ts";
export {
  ensureQueuedJobIdIndex,
  installJobTableWrites,
  JOB_TABLE_WRITES_FILE,
  leadsOfFailedDialJobs,
  leadsWithoutDialJob,
  PG_BOSS_VERIFIED,
  PgBossSchemaMismatch,
  QUEUED_JOB_ID_INDEX,
} from "./job-table.ts";
