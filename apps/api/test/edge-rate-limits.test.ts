import { connect } from "node:net";
import { Writable } from "node:stream";
import { signWebhook } from "@redial/bland";
import { createLogger } from "@redial/config";
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY, type ApiHarness, CONVOSO_TOKEN, startApi, WEBHOOK_SECRET } from "./api-harness.ts";

const lines: string[] = [];
let api: ApiHarness;
beforeAll(async () => {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  api = await startApi({
    syncToConvoso: false,
    app: {
      limits: { authFailuresPerMinute: 3, webhooksPerMinute: 5 },
      logger: createLogger({ name: "api-test", level: "info", pretty: false, destination }),
    },
  });
});
afterAll(async () => api.close());

const inject = (options: InjectOptions) => api.app.inject(options);

describe("failed authentication is rate-limited per client address", () => {
  it("past AUTH_FAILURES_PER_MINUTE failures, every request of that address is 429 (a right key too), in our shape", async () => {
    const from = { remoteAddress: "10.9.8.7" };
    const wrong = () =>
      inject({
        method: "GET",
        url: "/v1/admin/webhook-events",
        headers: { "x-api-key": "wrong-key-0" },
        ...from,
      });
    for (let i = 0; i < 3; i++) expect((await wrong()).statusCode).toBe(401);
    const limited = await wrong();
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({
      error: { code: "rate_limited", message: expect.stringMatching(/wait \d+ s/) },
    });
    const right = await inject({
      method: "GET",
      url: "/v1/admin/webhook-events",
      headers: { "x-api-key": API_KEY },
      ...from,
    });
    expect(right.statusCode).toBe(429);
    // Another address is not affected.
    const other = await inject({
      method: "GET",
      url: "/v1/admin/webhook-events",
      headers: { "x-api-key": API_KEY },
      remoteAddress: "10.9.8.6",
    });
    expect(other.statusCode).toBe(200);
  });

  it("bad Bland signatures count as failed authentication too", async () => {
    const from = { remoteAddress: "10.9.8.5" };
    const body = '{"call_id":"x"}';
    const codes: number[] = [];
    for (let i = 0; i < 4; i++)
      codes.push(
        (
          await inject({
            method: "POST",
            url: "/v1/webhooks/bland",
            headers: { "content-type": "application/json", "x-webhook-signature": "a".repeat(64) },
            payload: body,
            ...from,
          })
        ).statusCode,
      );
    expect(codes).toEqual([401, 401, 401, 429]);
  });
});

describe("every way in counts failed authentications: /metrics and the console's login too", () => {
  it("a wrong key on /metrics counts; past the limit it is 429", async () => {
    const codes: number[] = [];
    for (let i = 0; i < 4; i++)
      codes.push(
        (
          await inject({
            method: "GET",
            url: "/metrics",
            headers: { authorization: "Bearer wrong-key-0" },
            remoteAddress: "10.9.8.4",
          })
        ).statusCode,
      );
    expect(codes).toEqual([401, 401, 401, 429]);
  });

  it("a wrong key at /dashboard/login counts; past the limit it is 429", async () => {
    const from = { remoteAddress: "10.9.8.3" };
    const page = await inject({ method: "GET", url: "/dashboard/login", ...from });
    const cookie = [page.headers["set-cookie"] ?? []]
      .flat()
      .map((c) => c.split(";")[0])
      .join("; ");
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
    const codes: number[] = [];
    for (let i = 0; i < 4; i++)
      codes.push(
        (
          await inject({
            method: "POST",
            url: "/dashboard/login",
            headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
            payload: new URLSearchParams({ _csrf: csrf, api_key: "not-a-key-at-all" }).toString(),
            ...from,
          })
        ).statusCode,
      );
    expect(codes).toEqual([401, 401, 401, 429]);
  });
});

describe("the public webhook routes are rate-limited per client address", () => {
  it("past WEBHOOK_RATE_LIMIT_PER_MINUTE requests a minute, Bland's webhook answers 429 rate_limited with Retry-After", async () => {
    const payload = '{"call_id":"limit-1","completed":true}';
    const send = () =>
      inject({
        method: "POST",
        url: "/v1/webhooks/bland",
        headers: {
          "content-type": "application/json",
          "x-webhook-signature": signWebhook(payload, WEBHOOK_SECRET),
        },
        payload,
        remoteAddress: "10.1.1.1",
      });
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await send()).statusCode);
    expect(codes).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await send();
    expect(limited.headers["retry-after"]).toBeDefined();
    expect(limited.json()).toEqual({ error: { code: "rate_limited", message: expect.any(String) } });
  });
});

describe("tokens never reach the logs", () => {
  it("Convoso's ?token= is accepted (a webhook configuration may only set a URL) and logged as [redacted]", async () => {
    const response = await inject({
      method: "POST",
      url: `/v1/webhooks/convoso/status?token=${CONVOSO_TOKEN}&api_key=oops-123`,
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ status: "NA", phone_number: "4155550199" }),
      remoteAddress: "10.2.2.2",
    });
    expect(response.statusCode).toBe(200);
    const text = lines.join("");
    expect(text).toContain("token=[redacted]");
    expect(text).toContain("api_key=[redacted]");
    expect(text).not.toContain(CONVOSO_TOKEN);
    expect(text).not.toContain("oops-123");
    expect(text).not.toContain("4155550199");
  });
});

describe("errors raised before Fastify sees a request", () => {
  it("headers over Node's limit (a 20 kB URL) answer 431 in our error shape", async () => {
    const address = await api.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = new URL(address);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), "127.0.0.1", () => {
        socket.write(`GET /v1/leads/1?x=${"a".repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
      });
      let text = "";
      socket.on("data", (chunk) => {
        text += String(chunk);
      });
      socket.on("close", () => resolve(text));
      socket.on("error", reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    const body = answer.slice(answer.indexOf("\r\n\r\n") + 4);
    expect(JSON.parse(body)).toEqual({ error: { code: "headers_too_large", message: expect.any(String) } });
  });
});
