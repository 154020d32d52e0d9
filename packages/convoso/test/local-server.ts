import { once } from "node:events";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  at: number;
  method: string;
  path: string;
  contentType: string | undefined;
  form: Record<string, string>;
}

export type Reply = (res: ServerResponse, req: ReceivedRequest) => void;

export interface LocalServer {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** A node:http server that records each request (time of arrival, form fields) and answers with `replies` in turn (the last repeats). */
export async function startLocalServer(replies: Reply[]): Promise<LocalServer> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const at = performance.now();
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      const received: ReceivedRequest = {
        at,
        method: req.method ?? "",
        path: req.url ?? "",
        contentType: req.headers["content-type"],
        form: Object.fromEntries(new URLSearchParams(body)),
      };
      requests.push(received);
      const reply = replies[Math.min(requests.length, replies.length) - 1];
      reply?.(res, received);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return (res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
}

/** Answers with `reply` after `times` failures of `failure`. */
export function failThen(times: number, failure: Reply, reply: Reply): Reply[] {
  return [...Array.from({ length: times }, () => failure), reply];
}
