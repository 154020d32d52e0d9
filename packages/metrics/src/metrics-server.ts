import { timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";

/** Whether `header` is `Bearer <one of tokens>` (constant-time per token). */
export function bearerMatches(header: string | undefined, tokens: readonly string[]): boolean {
  if (!header?.startsWith("Bearer ")) return false;
  const given = Buffer.from(header.slice(7));
  return tokens.some((token) => {
    const expected = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

/**
 * A worker's /metrics on a port of its own (WORKER_METRICS_PORT). With `tokens`, a scrape must send
 * `Authorization: Bearer <token>`; without, it is open (bind it to a private interface).
 */
export async function startMetricsServer(options: {
  registry: Registry;
  port: number;
  host: string;
  tokens: readonly string[];
}): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://x").pathname;
    if (request.method !== "GET" || path !== "/metrics") {
      response.writeHead(404, { "content-type": "application/json" });
      response.end(
        JSON.stringify({ error: { code: "not_found", message: "Only GET /metrics is served here." } }),
      );
      return;
    }
    if (options.tokens.length > 0 && !bearerMatches(request.headers.authorization, options.tokens)) {
      response.writeHead(401, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          error: { code: "unauthorized", message: "Send Authorization: Bearer <one of API_KEYS>." },
        }),
      );
      return;
    }
    options.registry
      .metrics()
      .then((body) => {
        response.writeHead(200, { "content-type": options.registry.contentType });
        response.end(body);
      })
      .catch((error: unknown) => {
        response.writeHead(500, { "content-type": "text/plain" });
        response.end(String(error));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    server,
    url: `http://${options.host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
