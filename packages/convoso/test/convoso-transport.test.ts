import { afterEach, describe, expect, it } from "vitest";
import { ConvosoError, createConvosoClient } from "../src/index.ts";
import { failThen, json, type LocalServer, type Reply, startLocalServer } from "./local-server.ts";

let server: LocalServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(...replies: Reply[]): Promise<LocalServer> {
  server = await startLocalServer(replies);
  return server;
}

function client(url: string, extra: { maxRetries?: number; requestsPerSecond?: number } = {}) {
  return createConvosoClient({ baseUrl: url, authToken: "tok", retryBaseMs: 5, timeoutMs: 2000, ...extra });
}

async function failure(promise: Promise<unknown>): Promise<ConvosoError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConvosoError);
  return error as ConvosoError;
}

const OK = json(200, { success: true, data: { offset: 0, limit: 10, total: 0, entries: [] } });

describe("transport", () => {
  it("POSTs a form to baseUrl/v1/path with auth_token and leaves out absent fields", async () => {
    const s = await serve(OK);
    await client(`${s.url}/`).searchLeads({ phoneNumber: "5551234567", offset: 0 });
    expect(s.requests).toEqual([
      expect.objectContaining({
        method: "POST",
        path: "/v1/leads/search",
        contentType: "application/x-www-form-urlencoded",
        form: { auth_token: "tok", phone_number: "5551234567", offset: "0" },
      }),
    ]);
  });

  it("a {success:false} body in an HTTP 200 is a ConvosoError carrying Convoso's code and text", async () => {
    const s = await serve(json(200, { success: false, code: 6050, text: "Invalid status" }));
    const error = await failure(client(s.url).updateLead("7", { status: "ZZZ" }));
    expect(error).toMatchObject({ code: "invalid", convosoCode: 6050, status: 200 });
    expect(error.message).toContain("Invalid status");
    expect(s.requests).toHaveLength(1);
  });

  it.each([
    [5001, "auth"],
    [6001, "not_found"],
    [6050, "invalid"],
    [6999, "application"],
  ] as const)("Convoso code %i is %s and is not retried", async (convosoCode, code) => {
    const s = await serve(json(200, { success: false, code: String(convosoCode), text: "no" }));
    expect(await failure(client(s.url).searchStatuses())).toMatchObject({ code, convosoCode });
    expect(s.requests).toHaveLength(1);
  });

  it.each([
    [401, "auth"],
    [403, "auth"],
    [404, "not_found"],
    [400, "invalid"],
  ] as const)("HTTP %i is %s and is not retried", async (status, code) => {
    const s = await serve(json(status, { error: "x" }));
    expect(await failure(client(s.url).searchStatuses())).toMatchObject({ code, status, convosoCode: null });
    expect(s.requests).toHaveLength(1);
  });

  it("a 200 whose body is not JSON is a server error, not retried", async () => {
    const s = await serve((res) => res.end("<html>maintenance</html>"));
    expect(await failure(client(s.url).searchStatuses())).toMatchObject({ code: "server", status: 200 });
    expect(s.requests).toHaveLength(1);
  });
});

describe("retries", () => {
  it("503 twice, then success: three requests, the answer of the third", async () => {
    const s = await serve(...failThen(2, json(503, {}), json(200, { success: true, data: [] })));
    await expect(client(s.url).searchStatuses()).resolves.toEqual([]);
    expect(s.requests).toHaveLength(3);
  });

  it("429 is retried no sooner than its Retry-After", async () => {
    const s = await serve(json(429, {}, { "retry-after": "1" }), json(200, { success: true, data: [] }));
    await client(s.url).searchStatuses();
    const [first, second] = s.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
  });

  it("gives up after maxRetries and throws the last error", async () => {
    const s = await serve(json(500, { error: "boom" }));
    const error = await failure(client(s.url, { maxRetries: 2 }).searchStatuses());
    expect(error).toMatchObject({ code: "server", status: 500 });
    expect(s.requests).toHaveLength(3);
  });

  it("429 after every retry is rate_limited", async () => {
    const s = await serve(json(429, {}));
    expect(await failure(client(s.url, { maxRetries: 1 }).searchStatuses())).toMatchObject({
      code: "rate_limited",
      status: 429,
    });
    expect(s.requests).toHaveLength(2);
  });

  it("a Retry-After over a minute is not waited out: thrown at once", async () => {
    const s = await serve(json(429, {}, { "retry-after": "3600" }));
    const error = await failure(client(s.url).searchStatuses());
    expect(error).toMatchObject({ code: "rate_limited", retryAfterMs: 3_600_000 });
    expect(s.requests).toHaveLength(1);
  });

  it("a connection that is dropped is a network error, retried", async () => {
    const s = await serve((res) => res.socket?.destroy(), json(200, { success: true, data: [] }));
    await expect(client(s.url).searchStatuses()).resolves.toEqual([]);
    expect(s.requests).toHaveLength(2);
  });

  it("no answer within timeoutMs is a network error naming the timeout", async () => {
    const s = await serve(() => {});
    const c = createConvosoClient({ baseUrl: s.url, authToken: "tok", timeoutMs: 100, maxRetries: 0 });
    const error = await failure(c.searchStatuses());
    expect(error).toMatchObject({ code: "network", status: null });
    expect(error.message).toContain("timed out after 100 ms");
  });

  it("nothing listening is a network error after the retries", async () => {
    const s = await serve(OK);
    const url = s.url;
    await s.close();
    server = undefined;
    expect(await failure(client(url, { maxRetries: 1 }).searchStatuses())).toMatchObject({
      code: "network",
      status: null,
    });
  });
});

describe("pace", () => {
  it("10 requests at 20/s arrive over at least 9/20 s", async () => {
    const s = await serve(OK);
    const c = client(s.url, { requestsPerSecond: 20 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => c.searchLeads({ leadId: String(i) })));
    const times = s.requests.map((r) => r.at);
    expect(times).toHaveLength(10);
    // Sent 50 ms apart (450 ms in all); a request delayed on its way (the first one's connection
    // on a loaded machine) arrives closer to the next, so allow two intervals of that. Without the
    // limiter the ten arrive within a few milliseconds.
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(350);
  });

  it("each client has its own limiter", async () => {
    const s = await serve(OK);
    const a = client(s.url, { requestsPerSecond: 2 });
    const b = client(s.url, { requestsPerSecond: 2 });
    await Promise.all([a.searchLeads({}), b.searchLeads({})]);
    const [first, second] = s.requests.map((r) => r.at);
    expect(Math.abs(second! - first!)).toBeLessThan(400);
  });
});
