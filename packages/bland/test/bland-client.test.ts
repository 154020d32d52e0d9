import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { BlandError, createBlandClient } from "../src/index.ts";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server | undefined;

async function serve(handler: Handler): Promise<string> {
  server = createServer(handler);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

const request = {
  phone_number: "+15551234567",
  task: "hi",
  metadata: { attempt_id: "a1" },
  webhook: "http://x/wh",
};

function reply(status: number, body: unknown, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
}

async function createError(baseUrl: string, timeoutMs = 2000): Promise<BlandError> {
  const client = createBlandClient({ baseUrl, apiKey: "k", timeoutMs });
  const error = await client.createCall(request).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BlandError);
  return error as BlandError;
}

describe("createCall", () => {
  it("sends the key in authorization and returns the call id", async () => {
    let auth: string | undefined;
    const url = await serve((req, res) => {
      auth = req.headers.authorization;
      reply(200, { status: "success", message: "Call successfully queued.", call_id: "c-1", batch_id: null })(
        req,
        res,
      );
    });
    await expect(createBlandClient({ baseUrl: url, apiKey: "key-1" }).createCall(request)).resolves.toEqual({
      callId: "c-1",
    });
    expect(auth).toBe("key-1");
  });

  it("a 400 is rejected with Bland's message", async () => {
    const error = await createError(
      await serve(reply(400, { status: "error", message: "Invalid phone", errors: ["phone_number"] })),
    );
    expect(error).toMatchObject({ code: "rejected", status: 400 });
    expect(error.message).toContain("Invalid phone");
  });

  it("401 and 403 are unauthorized", async () => {
    expect((await createError(await serve(reply(401, { status: "error", message: "no" })))).code).toBe(
      "unauthorized",
    );
  });

  it("a 429 carries Retry-After as milliseconds", async () => {
    const error = await createError(await serve(reply(429, { status: "error" }, { "retry-after": "2" })));
    expect(error).toMatchObject({ code: "rate_limited", retryAfterMs: 2000 });
  });

  it("a 503 is ambiguous and is not retried", async () => {
    let hits = 0;
    const url = await serve((req, res) => {
      hits++;
      reply(503, { status: "error" })(req, res);
    });
    expect((await createError(url)).code).toBe("ambiguous");
    expect(hits).toBe(1);
  });

  it("a socket destroyed after the request arrived is ambiguous", async () => {
    const url = await serve((req) => req.socket.destroy());
    expect((await createError(url)).code).toBe("ambiguous");
  });

  it("a timeout is ambiguous", async () => {
    const url = await serve(() => undefined);
    expect((await createError(url, 200)).code).toBe("ambiguous");
  });

  it("connection refused is not_placed", async () => {
    const url = await serve(reply(200, {}));
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    expect((await createError(url)).code).toBe("not_placed");
  });

  it("an unknown host is not_placed", async () => {
    expect((await createError("http://does-not-exist.invalid")).code).toBe("not_placed");
  });
});

describe("reads", () => {
  it("getCall throws not_found on 404", async () => {
    const client = createBlandClient({ baseUrl: await serve(reply(404, { status: "error" })), apiKey: "k" });
    await expect(client.getCall("nope")).rejects.toMatchObject({ code: "not_found" });
  });

  it("getCall retries 5xx and 429 with backoff, then answers", async () => {
    let hits = 0;
    const url = await serve((req, res) => {
      hits++;
      if (hits === 1) return reply(500, {})(req, res);
      if (hits === 2) return reply(429, {}, { "retry-after": "0" })(req, res);
      reply(200, { call_id: "c-9", to: "+15551234567", created_at: "2025-01-01T00:00:00Z" })(req, res);
    });
    const call = await createBlandClient({ baseUrl: url, apiKey: "k", readRetryBaseMs: 5 }).getCall("c-9");
    expect(call.call_id).toBe("c-9");
    expect(hits).toBe(3);
  });

  it("listCalls gives up after the configured retries", async () => {
    let hits = 0;
    const url = await serve((req, res) => {
      hits++;
      reply(502, {})(req, res);
    });
    const client = createBlandClient({ baseUrl: url, apiKey: "k", readRetries: 2, readRetryBaseMs: 1 });
    await expect(client.listCalls({})).rejects.toMatchObject({ code: "ambiguous", status: 502 });
    expect(hits).toBe(3);
  });

  it("listCalls sends the query and accepts a count given as a string", async () => {
    let seen = "";
    const url = await serve((req, res) => {
      seen = req.url ?? "";
      reply(200, { count: "1", calls: [{ call_id: "a", to: "+1", created_at: "2025-01-01T00:00:00Z" }] })(
        req,
        res,
      );
    });
    const result = await createBlandClient({ baseUrl: url, apiKey: "k" }).listCalls({
      startDate: "2025-01-01",
      toNumber: "+15551234567",
      limit: 5,
      from: 10,
      to: 15,
      ascending: true,
    });
    expect(result.count).toBe(1);
    expect(seen).toContain("start_date=2025-01-01");
    expect(seen).toContain("to_number=%2B15551234567");
    expect(seen).toContain("from=10");
  });
});
