import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { type ApiKey, type Logger, parseApiKeys } from "@redial/config";
import type { DialLimitsConfig, RedialContext } from "@redial/services";
import Fastify, { type FastifyInstance } from "fastify";
import { requireApiKey } from "./auth.ts";
import { dashboard } from "./dashboard/dashboard-plugin.ts";
import { BadRequest, registerErrorHandler } from "./errors.ts";
import { metricsRoutes } from "./metrics-routes.ts";
import { observeCallResults } from "./result-log.ts";
import { adminRoutes, healthRoutes } from "./routes/admin-routes.ts";
import { fleetRoutes } from "./routes/fleet-routes.ts";
import { leadRoutes } from "./routes/lead-routes.ts";
import { operatorRoutes } from "./routes/operator-routes.ts";
import { reportRoutes } from "./routes/report-routes.ts";
import { webhookRoutes } from "./routes/webhook-routes.ts";

export interface AppOptions {
  ctx: RedialContext;
  /** API_KEYS: named (`{name, key}`) or bare keys (named key-1, key-2… by position). */
  apiKeys: readonly (string | ApiKey)[];
  blandWebhookSecret: string;
  convosoWebhookToken?: string | undefined;
  /** Called after the calendar changed through the API (drop this process's cache). */
  onCalendarChange?: () => Promise<void> | void;
  /** The fleet's dial limits, for the capacity report. */
  dialLimits?: DialLimitsConfig;
  /** This process's pino logger; none in tests. */
  logger?: Logger;
  /** DAILY_SPEND_LIMIT, shown on the console and in /metrics (the cap itself is the workers'). */
  spendLimit?: number | null;
  /** The console's session cookie: DASHBOARD_SESSION_SECRET, DASHBOARD_COOKIE_SECURE. */
  dashboard?: { sessionSecret?: string | undefined; secureCookie?: boolean };
  /** DATABASE_URL, for pg-boss's own dashboard under /dashboard/pg-boss (not mounted without it). */
  databaseUrl?: string;
}

/** The Fastify app (no listen): tests use `app.inject`, main.ts listens. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const apiKeys = parseApiKeys(options.apiKeys);
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: 20 * 1024 * 1024,
  }) as unknown as FastifyInstance;
  // Handlers validate with zod; route schemas are for the OpenAPI document only.
  app.setValidatorCompiler(() => () => true);
  keepRawJsonBody(app);
  registerErrorHandler(app);
  await app.register(swagger, {
    openapi: {
      info: { title: "Redial API", version: "1.0.0" },
      components: { securitySchemes: { apiKey: { type: "apiKey", in: "header", name: "X-API-Key" } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });

  healthRoutes(app, options.ctx);
  const metrics = metricsRoutes(app, options.ctx, { apiKeys, spendLimit: options.spendLimit ?? null });
  observeCallResults(app, metrics);
  webhookRoutes(app, options.ctx, {
    blandSecret: options.blandWebhookSecret,
    convosoToken: options.convosoWebhookToken,
  });
  await app.register(dashboard, {
    ctx: options.ctx,
    apiKeys,
    onCalendarChange: options.onCalendarChange ?? (() => undefined),
    spendLimit: options.spendLimit ?? null,
    sessionSecret: options.dashboard?.sessionSecret,
    secureCookie: options.dashboard?.secureCookie ?? false,
    databaseUrl: options.databaseUrl,
  });
  await app.register(async (admin) => {
    admin.addHook("preHandler", requireApiKey(apiKeys));
    leadRoutes(admin, options.ctx);
    operatorRoutes(admin, options.ctx);
    fleetRoutes(admin, options.ctx);
    adminRoutes(admin, options.ctx, options.onCalendarChange ?? (() => undefined));
    reportRoutes(
      admin,
      options.ctx,
      options.dialLimits ?? { DIAL_RATE_PER_SECOND: 5, DIAL_MAX_CONCURRENT: 10 },
    );
  });
  return app;
}

/** JSON bodies keep their raw bytes: webhook signatures are computed over them. */
function keepRawJsonBody(app: FastifyInstance): void {
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, body, done) => {
    const raw = body as Buffer;
    request.rawBody = raw;
    if (raw.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(raw.toString("utf8")));
    } catch {
      done(new BadRequest("The body is not valid JSON."), undefined);
    }
  });
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string" },
    (request, body, done) => {
      request.rawBody = Buffer.from(body as string);
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );
}
