import type { Queue } from "pg-boss";
import { z } from "zod";

/**
 * The job catalog: every queue's name, payload schema and policy in one table.
 * Call history lives in our own tables, so finished jobs are deleted within the hour.
 */
export const dialPayload = z.object({ leadId: z.number().int().positive() });
export type DialPayload = z.infer<typeof dialPayload>;

export const convosoSyncPayload = z.object({
  attemptId: z.number().int().positive().optional(),
  leadId: z.number().int().positive(),
  outcome: z.string(),
  dnc: z.boolean().default(false),
});
export type ConvosoSyncPayload = z.infer<typeof convosoSyncPayload>;

export const emptyPayload = z.object({}).passthrough().nullable().optional();

export const QUEUES = {
  /**
   * A dial job that failed lands here in the same statement (pg-boss's dead letter): the lead is
   * given a job again at once when pg-boss failed it (its worker stopped beating: killed
   * mid-dial), by the minute's heal-failed-dials sweep when our handler reported the failure.
   * Created before `dial`, which names it.
   */
  dialFailed: {
    name: "dial-failed",
    payload: dialPayload,
    options: {
      policy: "standard",
      retryLimit: 3,
      retryDelay: 5,
      retryBackoff: true,
      deleteAfterSeconds: 3600,
    },
  },
  /** One queued-or-active wake-up per active lead (singletonKey = lead id). The lead row is the truth. */
  dial: {
    name: "dial",
    payload: dialPayload,
    options: {
      // stately: at most one queued AND one active job per lead, so a running dial can queue the next.
      policy: "stately",
      // The handler owns every redial decision: a failure is never retried blindly.
      retryLimit: 0,
      expireInSeconds: 120,
      // A worker killed mid-dial stops beating: its job is failed 10 s after its last beat, at the
      // next supervise pass (createBoss: every 5 s), and goes to dial-failed, whose consumer gives
      // the lead a job again.
      heartbeatSeconds: 10,
      deadLetter: "dial-failed",
      // A lead may wait weeks (bad-number cooldown): keep queued jobs long enough.
      retentionSeconds: 60 * 24 * 3600,
      deleteAfterSeconds: 3600,
    },
  },
  /** Where convoso-sync jobs go once their retries are spent (listed by `redial convoso dead-letters`). */
  convosoSyncDead: {
    name: "convoso-sync-dead",
    payload: convosoSyncPayload,
    options: {
      policy: "standard",
      retryLimit: 0,
      retentionSeconds: 90 * 24 * 3600,
      deleteAfterSeconds: 90 * 24 * 3600,
    },
  },
  /** Push a call outcome (and DNC) to Convoso; retried with backoff, then dead-lettered. */
  convosoSync: {
    name: "convoso-sync",
    payload: convosoSyncPayload,
    options: {
      policy: "standard",
      retryLimit: 8,
      retryDelay: 5,
      retryBackoff: true,
      retryDelayMax: 900,
      expireInSeconds: 60,
      deleteAfterSeconds: 24 * 3600,
      deadLetter: "convoso-sync-dead",
    },
  },
  /** 00:01 campaign time: leads at their daily max become active again; leads without a job get one. */
  dailyReset: {
    name: "daily-reset",
    payload: emptyPayload,
    options: { policy: "singleton", retryLimit: 3, retryDelay: 30, deleteAfterSeconds: 7 * 24 * 3600 },
  },
  /** Every few minutes: any active lead without a dial job gets one (self-healing backstop). */
  heal: {
    name: "heal",
    payload: emptyPayload,
    options: { policy: "singleton", retryLimit: 0, deleteAfterSeconds: 3600 },
  },
  /** Every minute: leads whose dial job failed (a worker killed mid-dial) and have none get one. */
  healFailedDials: {
    name: "heal-failed-dials",
    payload: emptyPayload,
    options: { policy: "singleton", retryLimit: 0, deleteAfterSeconds: 3600 },
  },
  /** Every minute: calls past their deadline whose lead was completed or paused while they ran. */
  reconcileOrphans: {
    name: "reconcile-orphan-calls",
    payload: emptyPayload,
    options: { policy: "singleton", retryLimit: 0, deleteAfterSeconds: 3600 },
  },
  /** Every minute: Bland webhook events left without their result (the API died while applying one) are applied again. */
  pendingWebhookEvents: {
    name: "pending-webhook-events",
    payload: emptyPayload,
    options: { policy: "singleton", retryLimit: 0, deleteAfterSeconds: 3600 },
  },
  /** Every minute: the report rollups' pending deltas are folded into their totals (migration 0006). */
  reportCompact: {
    name: "report-compact",
    payload: emptyPayload,
    options: { policy: "singleton", retryLimit: 0, deleteAfterSeconds: 3600 },
  },
  /** Every minute: the spend cap and the alert rules (issue 13), once per fleet. */
  alerts: {
    name: "alerts",
    payload: emptyPayload,
    options: { policy: "singleton", retryLimit: 0, deleteAfterSeconds: 3600 },
  },
  /** At DAILY_REPORT_TIME (campaign time): the day's report stored and sent. */
  dailyReport: {
    name: "daily-report",
    payload: emptyPayload,
    options: { policy: "singleton", retryLimit: 3, retryDelay: 60, deleteAfterSeconds: 7 * 24 * 3600 },
  },
} as const satisfies Record<string, { name: string; payload: z.ZodType; options: Omit<Queue, "name"> }>;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES]["name"];

/** Validate a job's payload when it arrives; a malformed job is an error, never guessed at. */
export function parsePayload<K extends keyof typeof QUEUES>(
  queue: K,
  data: unknown,
): z.infer<(typeof QUEUES)[K]["payload"]> {
  return QUEUES[queue].payload.parse(data) as z.infer<(typeof QUEUES)[K]["payload"]>;
}
