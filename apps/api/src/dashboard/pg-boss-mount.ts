import { createDashboardHandler, type DashboardHandler } from "@pg-boss/dashboard/handler";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** Where pg-boss's own dashboard is mounted, behind the console's login. */
export const PG_BOSS_PATH = "/dashboard/pg-boss";

/**
 * @pg-boss/dashboard (its fetch-style handler) under the console's session: every request under
 * PG_BOSS_PATH is handed to it as a web Request, its Response sent back as is.
 */
export function mountPgBossDashboard(
  app: FastifyInstance,
  databaseUrl: string,
  onRequest: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
): DashboardHandler {
  const handler = createDashboardHandler({
    databases: [{ url: databaseUrl, name: "redial" }],
    basePath: PG_BOSS_PATH,
  });
  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    const url = new URL(request.url, `http://${request.headers.host ?? "localhost"}`);
    const body =
      request.method === "GET" || request.method === "HEAD" ? undefined : (request.rawBody ?? undefined);
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers))
      if (typeof value === "string") headers.set(name, value);
      else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    const response = await handler(new Request(url, { method: request.method, headers, body }));
    reply.status(response.status);
    response.headers.forEach((value, name) => {
      if (name !== "content-length" && name !== "transfer-encoding") void reply.header(name, value);
    });
    return reply.send(Buffer.from(await response.arrayBuffer()));
  };
  app.route({ method: ["GET", "POST", "HEAD"], url: PG_BOSS_PATH, onRequest, handler: serve });
  app.route({ method: ["GET", "POST", "HEAD"], url: `${PG_BOSS_PATH}/*`, onRequest, handler: serve });
  app.addHook("onClose", async () => handler.close());
  return handler;
}
