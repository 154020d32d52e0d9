import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import { registerBlandRoutes } from "./bland-routes.ts";
import { registerControlRoutes } from "./control-routes.ts";
import { registerConvosoRoutes } from "./convoso-routes.ts";
import { InvalidSimulatorConfig } from "./simulator-config.ts";
import { countRequest, type SimulatorState } from "./simulator-state.ts";

const recorded = new WeakSet<FastifyRequest>();

/** The Fastify app that is both Bland and Convoso, plus the /_sim control API. */
export function buildSimulatorServer(
  state: SimulatorState,
  opts: { logger?: boolean } = {},
): FastifyInstance {
  const app = Fastify({ logger: opts.logger ?? false, forceCloseConnections: true });
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  app.addHook("onResponse", async (req, reply) => record(state, req, reply.statusCode, reply.elapsedTime));
  app.addHook("onRequestAbort", async (req) => record(state, req, "aborted", 0));
  app.setErrorHandler((error, _req, reply) => {
    if (error instanceof InvalidSimulatorConfig) {
      return reply.code(400).send({ error: { code: error.code, message: error.message } });
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    return reply.code(status).send({ error: { code: "simulator_error", message: (error as Error).message } });
  });
  registerBlandRoutes(app, state);
  registerConvosoRoutes(app, state);
  registerControlRoutes(app, state);
  return app;
}

function record(
  state: SimulatorState,
  req: FastifyRequest,
  status: number | "aborted",
  durationMs: number,
): void {
  if (recorded.has(req) || req.url.startsWith("/_sim")) return;
  recorded.add(req);
  const route = `${req.method} ${req.routeOptions.url ?? req.url.split("?")[0]}`;
  countRequest(state, route, status);
  state.requests.add({
    at: new Date().toISOString(),
    method: req.method,
    url: req.url,
    route,
    status,
    durationMs: Math.round(durationMs),
    body: req.body ?? null,
  });
}
