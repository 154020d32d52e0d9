import { Counter, Histogram, type Registry } from "prom-client";

/** The API's own figures: every request, and the webhooks' intake. */
export interface ApiMetrics {
  httpRequestSeconds: Histogram<"method" | "route" | "status">;
  /** Webhook requests from arrival to answer, by source (bland, convoso) and HTTP status. */
  webhookIntakeSeconds: Histogram<"source" | "status">;
  /** Bland call results as the webhook answered them: result (processed, duplicate…) and outcome. */
  callResults: Counter<"result" | "outcome">;
}

export function createApiMetrics(registry: Registry): ApiMetrics {
  const registers = [registry];
  return {
    httpRequestSeconds: new Histogram({
      name: "redial_http_request_seconds",
      help: "API requests by method, route pattern and status",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    webhookIntakeSeconds: new Histogram({
      name: "redial_webhook_intake_seconds",
      help: "Webhook requests from arrival to answer, by source and status",
      labelNames: ["source", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    callResults: new Counter({
      name: "redial_call_results_total",
      help: "Bland call-ended webhooks by how they were recorded and the call's outcome",
      labelNames: ["result", "outcome"],
      registers,
    }),
  };
}
