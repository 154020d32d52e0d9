import { Counter, Histogram, type Registry } from "prom-client";

/** What a worker counts of its own work (GET /metrics on WORKER_METRICS_PORT). */
export interface WorkerMetrics {
  /** Every dial job by what dialLead decided (placed, not_due, fleet_limit, dnc, error…). */
  dialJobs: Counter<"result">;
  /** Calls Bland accepted. */
  dialsPlaced: Counter;
  /** Calls not placed, by Bland error kind (rate_limited, not_placed, ambiguous, rejected…). */
  dialsFailed: Counter<"reason">;
  /** From the instant a lead was due (its job's start time) to the call being placed. */
  dueToDialLag: Histogram;
  /** Requests to Bland by operation (create_call, get_call, list_calls) and outcome (ok or the error kind). */
  blandRequestSeconds: Histogram<"operation" | "outcome">;
  blandErrors: Counter<"operation" | "kind">;
  /** Outcomes pushed to Convoso by result. */
  convosoSyncs: Counter<"result">;
}

export function createWorkerMetrics(registry: Registry): WorkerMetrics {
  const registers = [registry];
  return {
    dialJobs: new Counter({
      name: "redial_dial_jobs_total",
      help: "Dial jobs run by this worker, by what the dial decided",
      labelNames: ["result"],
      registers,
    }),
    dialsPlaced: new Counter({ name: "redial_dials_placed_total", help: "Calls Bland accepted", registers }),
    dialsFailed: new Counter({
      name: "redial_dials_failed_total",
      help: "Requests to place a call that failed, by Bland error kind",
      labelNames: ["reason"],
      registers,
    }),
    dueToDialLag: new Histogram({
      name: "redial_due_to_dial_lag_seconds",
      help: "From the instant a lead was due to its call being placed",
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
      registers,
    }),
    blandRequestSeconds: new Histogram({
      name: "redial_bland_request_seconds",
      help: "Requests to Bland by operation and outcome (ok or the error kind)",
      labelNames: ["operation", "outcome"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 15],
      registers,
    }),
    blandErrors: new Counter({
      name: "redial_bland_errors_total",
      help: "Failed requests to Bland by operation and error kind",
      labelNames: ["operation", "kind"],
      registers,
    }),
    convosoSyncs: new Counter({
      name: "redial_convoso_syncs_total",
      help: "Outcomes pushed to Convoso by this worker, by result",
      labelNames: ["result"],
      registers,
    }),
  };
}
