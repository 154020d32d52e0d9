/**
 * @redial/metrics — the Prometheus figures (prom-client): what a worker counts of its own work,
 * the API's own requests and webhooks, the fleet-wide gauges the API reads from PostgreSQL at each
 * scrape, and the worker's small /metrics server.
 */

export { collectDefaultMetrics, Registry } from "prom-client";
export { type FleetFigures, registerFleetGauges } from "./fleet-gauges.ts";
export { type ApiMetrics, createApiMetrics } from "./http-metrics.ts";
export { bearerMatches, startMetricsServer } from "./metrics-server.ts";
export { createWorkerMetrics, type WorkerMetrics } from "./worker-metrics.ts";
