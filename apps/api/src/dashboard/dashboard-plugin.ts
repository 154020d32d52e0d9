import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import csrf from "@fastify/csrf-protection";
import secureSession from "@fastify/secure-session";
import fastifyStatic from "@fastify/static";
import view from "@fastify/view";
import type { ApiKey } from "@redial/config";
import type { RedialContext } from "@redial/services";
import { Eta } from "eta";
import type { FastifyInstance } from "fastify";
import type { FailedAuthGuard } from "../auth.ts";
import { requireSession, sessionKey, sessionRoutes } from "./dashboard-session.ts";
import { healthPages } from "./health-pages.ts";
import { leadPages } from "./lead-pages.ts";
import { mountPgBossDashboard } from "./pg-boss-mount.ts";
import { format } from "./render.ts";
import { reportPages } from "./report-pages.ts";
import { todayRoutes } from "./today-routes.ts";

export interface DashboardOptions {
  ctx: RedialContext;
  apiKeys: readonly ApiKey[];
  onCalendarChange: () => Promise<void> | void;
  spendLimit: number | null;
  /** DASHBOARD_SESSION_SECRET; unset ⇒ derived from the API keys. */
  sessionSecret?: string | undefined;
  /** DASHBOARD_COOKIE_SECURE: the session cookie only over HTTPS (set behind TLS). */
  secureCookie?: boolean;
  /** Where pg-boss lives, for its own dashboard under /dashboard/pg-boss; unset ⇒ not mounted. */
  databaseUrl?: string | undefined;
  /** Failed logins count towards the address's failed authentications (429 past the limit). */
  guard: FailedAuthGuard;
}

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/**
 * The operator console under /dashboard: server-rendered pages (@fastify/view + Eta), htmx for the
 * live parts and the action buttons, Chart.js for the charts, all served from node_modules. Login
 * with an API key sets an encrypted session cookie (httpOnly, SameSite=Strict); every form and
 * htmx request carries a CSRF token (@fastify/csrf-protection).
 */
export async function dashboard(app: FastifyInstance, options: DashboardOptions): Promise<void> {
  // Pages, not API: kept out of the OpenAPI document.
  app.addHook("onRoute", (route) => {
    route.schema = { ...route.schema, hide: true };
  });
  await app.register(secureSession, {
    key: sessionKey(options.sessionSecret, options.apiKeys),
    cookieName: "redial_session",
    expiry: 12 * 3600,
    cookie: { path: "/dashboard", httpOnly: true, sameSite: "strict", secure: options.secureCookie ?? false },
  });
  await app.register(csrf, { sessionPlugin: "@fastify/secure-session" });
  await app.register(view, {
    engine: { eta: new Eta({ views: join(here, "views"), cache: true }) },
    templates: join(here, "views"),
    defaultContext: { format },
  });
  await app.register(fastifyStatic, { root: join(here, "assets"), prefix: "/dashboard/assets/" });
  // Served from node_modules (no CDN): /dashboard/vendor/htmx/htmx.min.js, /dashboard/vendor/chartjs/chart.umd.min.js.
  const vendor = [
    ["htmx", dirname(require.resolve("htmx.org/dist/htmx.min.js")), "htmx.min.js"],
    ["chartjs", dirname(require.resolve("chart.js")), "chart.umd.min.js"],
  ] as const;
  for (const [name, root, file] of vendor)
    await app.register(fastifyStatic, {
      root,
      prefix: `/dashboard/vendor/${name}/`,
      decorateReply: false,
      allowedPath: (path) => path === `/${file}`,
    });

  sessionRoutes(app, options.apiKeys, options.guard);
  const checkSession = requireSession(options.apiKeys);
  await app.register(async (pages) => {
    pages.addHook("onRequest", checkSession);
    todayRoutes(pages, options.ctx, options.spendLimit);
    leadPages(pages, options.ctx);
    healthPages(pages, options.ctx);
    reportPages(pages, options.ctx, options.onCalendarChange);
  });
  if (options.databaseUrl) mountPgBossDashboard(app, options.databaseUrl, checkSession);
}
