import type { ApiKey } from "@redial/config";
import {
  type ApiMetrics,
  bearerMatches,
  collectDefaultMetrics,
  createApiMetrics,
  Registry,
  registerFleetGauges,
} from "@redial/metrics";
import { ALERT_RULES, type RedialContext, readFleetFigures } from "@redial/services";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { type FailedAuthGuard, findApiKey } from "./auth.ts";

/**
 * GET /metrics (Prometheus text): the fleet's figures read from PostgreSQL at each scrape, and this
 * process's own request, webhook and Node figures. Behind the API keys like every admin route:
 * `X-API-Key` or `Authorization: Bearer <key>` (Prometheus's `authorization` setting).
 */
export function metricsRoutes(
  app: FastifyInstance,
  ctx: RedialContext,
  options: { apiKeys: readonly ApiKey[]; spendLimit: number | null; guard: FailedAuthGuard },
): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = createApiMetrics(registry);
  registerFleetGauges(registry, () => readFleetFigures(ctx, options.spendLimit), { alertRules: ALERT_RULES });
  observeRequests(app, metrics);

  app.get(
    "/metrics",
    {
      onRequest: async (request: FastifyRequest) => {
        await options.guard.refuseIfBlocked(request);
        const header = request.headers["x-api-key"];
        const byHeader = typeof header === "string" && findApiKey(options.apiKeys, header);
        const byBearer = bearerMatches(
          request.headers.authorization,
          options.apiKeys.map((k) => k.key),
        );
        if (!byHeader && !byBearer)
          await options.guard.fail(request, "Send X-API-Key or Authorization: Bearer with one of API_KEYS.");
      },
      schema: {
        tags: ["health"],
        summary: "Prometheus metrics (X-API-Key or Authorization: Bearer <key>)",
        security: [{ apiKey: [] }],
      },
    },
    async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );
  return metrics;
}

/** Every request's duration by route pattern; webhooks' intake and Bland results on their own too. */
function observeRequests(app: FastifyInstance, metrics: ApiMetrics): void {
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    const seconds = reply.elapsedTime / 1000;
    const status = String(reply.statusCode);
    metrics.httpRequestSeconds.observe({ method: request.method, route, status }, seconds);
    if (route.startsWith("/v1/webhooks/"))
      metrics.webhookIntakeSeconds.observe({ source: route.split("/")[3] ?? "unknown", status }, seconds);
  });
}
