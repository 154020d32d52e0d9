import { signWebhook } from "@redial/bland";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY, type ApiHarness, startApi, WEBHOOK_SECRET } from "./api-harness.ts";

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => api.close());

const body = JSON.stringify({
  call_id: "unknown-call-1",
  completed: true,
  status: "completed",
  answered_by: "human",
  call_length: 1,
});

describe("Bland webhooks are authenticated by signature", () => {
  it("a webhook without X-Webhook-Signature is refused with 401 and stores nothing", async () => {
    const response = await api.app.inject({
      method: "POST",
      url: "/v1/webhooks/bland",
      headers: { "content-type": "application/json" },
      payload: body,
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe("unauthorized");
    const events = await api.runtime.ctx.db.selectFrom("webhook_events").selectAll().execute();
    expect(events).toHaveLength(0);
  });

  it("a signature over other bytes (body changed after signing) is refused", async () => {
    const signature = signWebhook(body, WEBHOOK_SECRET);
    const tampered = body.replace('"human"', '"voicemail"');
    const response = await api.app.inject({
      method: "POST",
      url: "/v1/webhooks/bland",
      headers: { "content-type": "application/json", "x-webhook-signature": signature },
      payload: tampered,
    });
    expect(response.statusCode).toBe(401);
  });

  it("a signature made with another secret is refused", async () => {
    const response = await api.app.inject({
      method: "POST",
      url: "/v1/webhooks/bland",
      headers: {
        "content-type": "application/json",
        "x-webhook-signature": signWebhook(body, "another-secret"),
      },
      payload: body,
    });
    expect(response.statusCode).toBe(401);
  });

  it("a correctly signed webhook for an unknown call id is stored and reported, never dropped", async () => {
    const response = await api.app.inject({
      method: "POST",
      url: "/v1/webhooks/bland",
      headers: {
        "content-type": "application/json",
        "x-webhook-signature": signWebhook(body, WEBHOOK_SECRET),
      },
      payload: body,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      received: true,
      result: "unknown_call",
      call_id: "unknown-call-1",
    });
    const report = await api.app.inject({
      method: "GET",
      url: "/v1/admin/webhook-events",
      headers: { "x-api-key": API_KEY },
    });
    expect(report.json()).toMatchObject({ unknown_call: 1 });
  });
});

describe("admin routes need X-API-Key", () => {
  it("no key, or a wrong key, is 401 with a message that says what to send", async () => {
    for (const headers of [{}, { "x-api-key": "wrong-key-123" }]) {
      const response = await api.app.inject({ method: "GET", url: "/api/admin/statistics/today", headers });
      expect(response.statusCode).toBe(401);
      expect(response.json().error.message).toMatch(/X-API-Key/);
    }
  });

  it("health endpoints are open", async () => {
    expect((await api.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    const ready = await api.app.inject({ method: "GET", url: "/readyz" });
    expect(ready.json()).toEqual({ status: "ok", database: "ok", queue: "ok" });
  });
});

describe("OpenAPI", () => {
  it("/docs serves the API description with every route", async () => {
    const spec = (await api.app.inject({ method: "GET", url: "/docs/json" })).json() as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(spec.openapi).toMatch(/^3\./);
    for (const path of [
      "/v1/leads",
      "/v1/leads/bulk",
      "/v1/leads/{id}",
      "/v1/webhooks/bland",
      "/v1/admin/scheduler-config",
      "/api/admin/statistics/today",
      "/v1/reports/range",
    ]) {
      expect(Object.keys(spec.paths), path).toContain(path);
    }
  });
});
