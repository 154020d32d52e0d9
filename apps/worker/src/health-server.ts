import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { RedialContext } from "@redial/services";

export interface HealthServer {
  close(): Promise<void>;
}

/**
 * The worker's probes for a container runtime (WORKER_HEALTH_PORT): `GET /healthz` answers while
 * the process runs, `GET /readyz` 200 when the database and pg-boss's queue answer, else 503 —
 * the same two the api serves. Nothing else is served.
 */
export async function startHealthServer(
  ctx: Pick<RedialContext, "db" | "boss">,
  options: { port: number; host: string },
): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const reply = (status: number, body: object) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (request.method !== "GET")
      return reply(405, { error: { code: "method_not_allowed", message: "GET only" } });
    if (request.url === "/healthz") return reply(200, { status: "ok" });
    if (request.url !== "/readyz")
      return reply(404, { error: { code: "not_found", message: "GET /healthz or /readyz" } });
    void readiness(ctx).then((checks) => {
      const ok = checks.database === "ok" && checks.queue === "ok";
      reply(ok ? 200 : 503, { status: ok ? "ok" : "unavailable", ...checks });
    });
  });
  server.listen(options.port, options.host);
  await once(server, "listening");
  return {
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readiness(
  ctx: Pick<RedialContext, "db" | "boss">,
): Promise<{ database: string; queue: string }> {
  const [database, queue] = await Promise.allSettled([
    ctx.db.selectFrom("leads").select("id").limit(1).execute(),
    ctx.boss.getQueue("dial"),
  ]);
  const describe = (c: PromiseSettledResult<unknown>) =>
    c.status === "fulfilled" ? "ok" : `down: ${String(c.reason)}`;
  return { database: describe(database), queue: describe(queue) };
}
