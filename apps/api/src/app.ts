import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { type ApiKey, type Logger, parseApiKeys } from "@redial/config";
import type { ConvosoConsentMapping, DialLimitsConfig, RedialContext } from "@redial/services";
import Fastify, { type FastifyInstance } from "fastify";
import { failedAuthGuard, requireApiKey } from "./auth.ts";
import { registerBodyParsers } from "./body-parsers.ts";
import { dashboard } from "./dashboard/dashboard-plugin.ts";
import { BODY_LIMITS, DEFAULT_EDGE_LIMITS, type EdgeLimits } from "./edge-limits.ts";
import { answerError, RateLimited, registerErrorHandler } from "./errors.ts";
import { metricsRoutes } from "./metrics-routes.ts";
import { observeCallResults } from "./result-log.ts";
import { adminRoutes, healthRoutes } from "./routes/admin-routes.ts";
import { consentRoutes } from "./routes/consent-routes.ts";
import { convosoWebhookRoutes } from "./routes/convoso-webhook-routes.ts";
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
  /** CONVOSO_CONSENT_FIELDS as parsed: where a Convoso lead push carries its consent (null: nowhere). */
  convosoConsentFields?: ConvosoConsentMapping | null;
  /** Called after the calendar changed through the API (drop this process's cache). */
  onCalendarChange?: () => Promise<void> | void;
  /** The fleet's dial limits, for the capacity report. */
  dialLimits?: DialLimitsConfig;
  /** Rate limits and report bounds; DEFAULT_EDGE_LIMITS for what is not given. */
  limits?: Partial<EdgeLimits>;
  /** Behind a reverse proxy: read the client's IP from X-Forwarded-For (rate limits key on it). */
  trustProxy?: boolean;
  /** This process's pino logger; none in tests. */
  logger?: Logger;
  /** DAILY_SPEND_LIMIT, shown on the console and in /metrics (the cap itself is the workers'). */
  spendLimit?: number | null;
  /** The console's session cookie: DASHBOARD_SESSION_SECRET, DASHBOARD_COOKIE_SECURE. */
  dashboard?: { sessionSecret?: string | undefined; secureCookie?: boolean };
  /** WEBHOOK_GROUP_COMMIT (default true): Bland deliveries arriving together stored in one commit. */
  webhookGroupCommit?: boolean;
  /** WEBHOOK_APPLY_AFTER_ANSWER (default false): a Bland delivery answered once stored, its result applied right after. */
  webhookApplyAfterAnswer?: boolean;
  /** DATABASE_URL, for pg-boss's own dashboard under /dashboard/pg-boss (not mounted without it). */
  databaseUrl?: string;
}

/** The Fastify app (no listen): tests use `app.inject`, main.ts listens. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const apiKeys = parseApiKeys(options.apiKeys);
  const limits: EdgeLimits = { ...DEFAULT_EDGE_LIMITS, ...options.limits };
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: BODY_LIMITS.default,
    trustProxy: options.trustProxy ?? false,
    // Errors Fastify raises before a route is found (bad percent-encoding, a path parameter longer
    // than any id: 414) answer in our shape too.
    frameworkErrors: (error, request, reply) => answerError(error, request, reply),
    clientErrorHandler: answerClientError,
  }) as unknown as FastifyInstance;
  // Handlers validate with their own readers (zod, parseLeadInput); route schemas document them
  // in the OpenAPI document (and the fuzz suite generates requests from it).
  app.setValidatorCompiler(() => () => true);
  registerBodyParsers(app);
  registerErrorHandler(app);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new RateLimited(
        `Too many requests from this address: at most ${context.max} a minute; retry in ${context.after}.`,
      ),
  });
  const guard = failedAuthGuard(app, limits.authFailuresPerMinute);
  const webhookRateLimit =
    limits.webhooksPerMinute === null ? false : { max: limits.webhooksPerMinute, timeWindow: 60_000 };
  await app.register(swagger, {
    openapi: {
      info: { title: "Redial API", version: "1.0.0" },
      components: {
        securitySchemes: {
          apiKey: { type: "apiKey", in: "header", name: "X-API-Key" },
          convosoToken: { type: "apiKey", in: "header", name: "X-Webhook-Token" },
          blandSignature: { type: "apiKey", in: "header", name: "X-Webhook-Signature" },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });

  healthRoutes(app, options.ctx);
  const metrics = metricsRoutes(app, options.ctx, { apiKeys, spendLimit: options.spendLimit ?? null, guard });
  observeCallResults(app, metrics);
  webhookRoutes(app, options.ctx, {
    blandSecret: options.blandWebhookSecret,
    guard,
    rateLimit: webhookRateLimit,
    groupCommit: options.webhookGroupCommit ?? true,
    applyAfterAnswer: options.webhookApplyAfterAnswer ?? false,
  });
  convosoWebhookRoutes(app, options.ctx, {
    token: options.convosoWebhookToken,
    consentFields: options.convosoConsentFields ?? null,
    guard,
    rateLimit: webhookRateLimit,
  });
  await app.register(dashboard, {
    ctx: options.ctx,
    apiKeys,
    onCalendarChange: options.onCalendarChange ?? (() => undefined),
    spendLimit: options.spendLimit ?? null,
    sessionSecret: options.dashboard?.sessionSecret,
    secureCookie: options.dashboard?.secureCookie ?? false,
    databaseUrl: options.databaseUrl,
    guard,
  });
  await app.register(async (admin) => {
    // Before the body is read: an unauthenticated request never gets its body parsed.
    admin.addHook("onRequest", requireApiKey(apiKeys, guard));
    admin.addHook("onRoute", (route) => {
      route.schema = { ...route.schema, security: [{ apiKey: [] }] };
    });
    leadRoutes(admin, options.ctx);
    operatorRoutes(admin, options.ctx);
    fleetRoutes(admin, options.ctx);
    consentRoutes(admin, options.ctx);
    adminRoutes(admin, options.ctx, options.onCalendarChange ?? (() => undefined));
    reportRoutes(
      admin,
      options.ctx,
      options.dialLimits ?? { DIAL_RATE_PER_SECOND: 5, DIAL_MAX_CONCURRENT: 10 },
      {
        maxDays: limits.reportMaxDays,
        statementTimeoutMs: limits.reportStatementTimeoutMs,
      },
    );
  });
  return app;
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [
    431,
    "headers_too_large",
    "The headers (or the URL) are too large: send a shorter request.",
  ],
  ERR_HTTP_REQUEST_TIMEOUT: [408, "request_timeout", "The request took too long to arrive: send it again."],
};

/** Errors Node's HTTP parser raises before Fastify sees a request, in our shape. */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const [status, code, message] = CLIENT_ERRORS[error.code ?? ""] ?? [
    400,
    "invalid_request",
    "The request is not valid HTTP.",
  ];
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy(error);
}
