import { signWebhook } from "@redial/bland";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { API_KEY, type ApiHarness, CONVOSO_TOKEN, startApi, WEBHOOK_SECRET } from "./api-harness.ts";
import { tableCounts } from "./table-counts.ts";

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi({ syncToConvoso: false });
});
afterAll(async () => api.close());
beforeEach(() => api.setNow("2026-03-10T15:00:00Z"));

const headers = { "x-api-key": API_KEY };
const json = { "content-type": "application/json" };
const post = (url: string, payload: unknown, extra: Record<string, string> = headers) =>
  api.app.inject({ method: "POST", url, headers: { ...json, ...extra }, payload: JSON.stringify(payload) });
const signed = (payload: string) =>
  api.app.inject({
    method: "POST",
    url: "/v1/webhooks/bland",
    headers: { ...json, "x-webhook-signature": signWebhook(payload, WEBHOOK_SECRET) },
    payload,
  });

/** The refusal shape, and nothing written. */
async function expectRefused(
  send: () => Promise<{ statusCode: number; json(): unknown }>,
  status: number,
  code: string,
  message?: RegExp,
) {
  const before = await tableCounts(api.runtime.ctx.db);
  const response = await send();
  expect(response.statusCode).toBe(status);
  const body = response.json() as { error: { code: string; message: string } };
  expect(body).toEqual({ error: { code, message: expect.any(String) } });
  if (message) expect(body.error.message).toMatch(message);
  expect(await tableCounts(api.runtime.ctx.db)).toEqual(before);
  return body;
}

describe("text PostgreSQL cannot store is refused at the edge, naming the field (no 500)", () => {
  it("a NUL in a lead's first_name, a DNC reason, a stop reason or a calendar name: 400 naming the field, nothing written", async () => {
    await expectRefused(
      () => post("/v1/leads", { phone: "2125550700", first_name: "A\u0000" }),
      400,
      "invalid_input",
      /^first_name: .*NUL/,
    );
    await expectRefused(
      () => post("/v1/dnc", { phone: "2125550701", reason: "x\u0000" }),
      400,
      "invalid_input",
      /^reason: /,
    );
    await expectRefused(
      () => post("/v1/leads/1/stop", { outcome: "DNC", reason: "\ud800" }),
      400,
      "invalid_input",
      /^reason: /,
    );
    await expectRefused(
      () =>
        api.app.inject({
          method: "PUT",
          url: "/v1/admin/scheduler-config",
          headers: { ...headers, ...json },
          payload: JSON.stringify({
            timezone: "America/New_York",
            holidays: [{ date: "2026-12-25", name: "X\u0000" }],
          }),
        }),
      400,
      "invalid_input",
      /^holidays\[0\]\.name: /,
    );
  });

  it("a NUL in Convoso's lead push is 400 naming Convoso's field", async () => {
    await expectRefused(
      () =>
        post(
          "/v1/webhooks/convoso/lead",
          { phone_number: "2125550702", postal_code: "10001\u0000" },
          { "x-webhook-token": CONVOSO_TOKEN },
        ),
      400,
      "invalid_input",
      /^postal_code: /,
    );
  });

  it("a signed Bland webhook with NULs and lone surrogates is stored with them stripped, never lost", async () => {
    const response = await signed(
      '{"call_id":"nul-1","completed":true,"summary":"a\\u0000b\\ud800c","vars":{"k\\u0000":"\\udc00"}}',
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ result: "unknown_call", call_id: "nul-1" });
    const event = await api.runtime.ctx.db
      .selectFrom("webhook_events")
      .select("body")
      .where("call_id", "=", "nul-1")
      .executeTakeFirstOrThrow();
    expect(event.body).toMatchObject({ summary: "ab\ufffdc", vars: { k: "\ufffd" } });
  });

  it("10,000-deep nesting is refused before parsing (400, signed or not: 401 first when unsigned)", async () => {
    const deep = `{"call_id":"deep-1","x":${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
    await expectRefused(() => signed(deep), 400, "invalid_input", /deeper than 32/);
    await expectRefused(
      () => post("/v1/webhooks/bland", JSON.parse('{"a":1}'), { "x-webhook-signature": "0".repeat(64) }),
      401,
      "unauthorized",
    );
    await expectRefused(
      () =>
        api.app.inject({ method: "POST", url: "/v1/leads", headers: { ...headers, ...json }, payload: deep }),
      400,
      "invalid_input",
    );
  });

  it("a 1 MB call_id, or one that is not a string, is refused with 400 naming call_id", async () => {
    await expectRefused(
      () => signed(JSON.stringify({ call_id: "c".repeat(1_000_000), completed: true })),
      400,
      "invalid_input",
      /^call_id: 1000000 characters/,
    );
    await expectRefused(
      () => signed(JSON.stringify({ call_id: { $gt: "" }, completed: true })),
      400,
      "invalid_input",
      /^call_id: /,
    );
  });
});

describe("the service only meets clean input", () => {
  it("a signed Bland body whose known fields have other types (status an array) is 400 naming them, nothing stored", async () => {
    const body = JSON.stringify({ call_id: "typed-1", completed: true, status: [{ a: 1 }], variables: "x" });
    await expectRefused(() => signed(body), 400, "invalid_input", /^status: .*; variables: /);
  });

  it("a bulk row with a NUL is rejected by name; the other rows are admitted", async () => {
    const response = await post("/v1/leads/bulk", [
      { phone: "2125550710" },
      { phone: "2125550711", last_name: "B\u0000" },
    ]);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      created: 1,
      rejected: 1,
      results: [
        { status: "created" },
        {
          status: "rejected",
          error: { code: "invalid_input", message: expect.stringMatching(/^last_name: /) },
        },
      ],
    });
  });
});

describe("limits: auth before the body, each route's size", () => {
  const big = `{"phone":"${"1".repeat(19 * 1024 * 1024)}"}`;

  it("a 19 MB body without a key is 401 before it is read (not 413, not parsed)", async () => {
    await expectRefused(
      () => api.app.inject({ method: "POST", url: "/v1/leads", headers: json, payload: big }),
      401,
      "unauthorized",
    );
    await expectRefused(
      () => api.app.inject({ method: "POST", url: "/v1/webhooks/bland", headers: json, payload: big }),
      401,
      "unauthorized",
    );
    await expectRefused(
      () =>
        api.app.inject({ method: "POST", url: "/v1/webhooks/convoso/status", headers: json, payload: big }),
      401,
      "unauthorized",
    );
  });

  it("with the key, a body over the route's limit is 413 body_too_large; bulk takes what 10,000 leads need", async () => {
    await expectRefused(
      () =>
        api.app.inject({ method: "POST", url: "/v1/leads", headers: { ...headers, ...json }, payload: big }),
      413,
      "body_too_large",
    );
    // 10,000 full rows (with a phone too short to dial, so the test writes none of them).
    const rows = Array.from({ length: 10_000 }, (_, i) => ({
      phone: `555-${String(i).padStart(4, "0")}`,
      first_name: "Alexandra-Maria",
      last_name: "Montgomery-Fitzgerald",
      email: `alexandra.montgomery${i}@example.com`,
      state: "New York",
      zip: "10001-1234",
      convoso_lead_id: String(1_000_000 + i),
      list_id: "1001",
      source: "spring-campaign-2026",
    }));
    const payload = JSON.stringify(rows);
    expect(payload.length).toBeGreaterThan(BODY_LIMIT_DEFAULT);
    const response = await api.app.inject({
      method: "POST",
      url: "/v1/leads/bulk",
      headers: { ...headers, ...json },
      payload,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ created: 0, rejected: 10_000 });
  });

  it("a path parameter longer than any id is 414 in our error shape", async () => {
    const response = await api.app.inject({ method: "GET", url: `/v1/leads/${"1".repeat(200)}`, headers });
    expect(response.statusCode).toBe(414);
    expect(response.json()).toEqual({ error: { code: "uri_too_long", message: expect.any(String) } });
  });

  it("Fastify's own refusals (bad JSON, other media types, bad percent-encoding, unknown route) answer {error:{code,message}} in snake_case", async () => {
    const cases = [
      [
        { method: "POST", url: "/v1/leads", headers: { ...headers, ...json }, payload: "{bad" },
        400,
        "invalid_json",
      ],
      [
        {
          method: "POST",
          url: "/v1/leads",
          headers: { ...headers, "content-type": "text/plain" },
          payload: "x",
        },
        415,
        "unsupported_media_type",
      ],
      [
        {
          method: "POST",
          url: "/v1/leads",
          headers: { ...headers, "content-type": "application/xml" },
          payload: "<a/>",
        },
        415,
        "unsupported_media_type",
      ],
      [{ method: "GET", url: "/v1/leads/%E0%A4%A", headers }, 400, "invalid_input"],
      [{ method: "GET", url: "/nope", headers }, 404, "not_found"],
    ] as const;
    for (const [request, status, code] of cases) {
      const response = await api.app.inject(request as never);
      expect(response.statusCode, request.url).toBe(status);
      expect(response.json(), request.url).toEqual({ error: { code, message: expect.any(String) } });
    }
  });

  it("/v1/leads/0x10 is not lead 16: ids are decimal digits only", async () => {
    for (const id of ["0x10", "1e1", "016", "+16", " 16", "16.0", "-1", "0"]) {
      const response = await api.app.inject({
        method: "GET",
        url: `/v1/leads/${encodeURIComponent(id)}`,
        headers,
      });
      expect(response.statusCode, id).toBe(400);
      expect(response.json().error.message, id).toMatch(/^id: /);
    }
  });
});

describe("Convoso ids are never coerced, lookups never guess", () => {
  const token = { "x-webhook-token": CONVOSO_TOKEN };

  it('{"status":"SALE","lead_id":null} is refused naming lead_id, stores no event and sells no lead', async () => {
    await expectRefused(
      () => post("/v1/webhooks/convoso/status", { status: "SALE", lead_id: null }, token),
      400,
      "invalid_input",
      /^lead_id: /,
    );
    await expectRefused(
      () => post("/v1/webhooks/convoso/status", { status: "SALE", lead_id: {} }, token),
      400,
      "invalid_input",
      /^lead_id: /,
    );
    await expectRefused(
      () => post("/v1/webhooks/convoso/lead", { phone_number: "2125550703", lead_id: null }, token),
      400,
      "invalid_input",
      /^lead_id: /,
    );
    await expectRefused(
      () => post("/v1/webhooks/convoso/lead", { phone_number: "2125550703", lead_id: [] }, token),
      400,
      "invalid_input",
      /^lead_id: /,
    );
  });

  it("a status for an id two leads carry answers 409 convoso_lead_ambiguous; its stored event is marked error with the reason", async () => {
    await post("/v1/leads", { phone: "2125550704", convoso_lead_id: "4242", list_id: "1" });
    await post("/v1/leads", { phone: "2125550705", convoso_lead_id: "4242", list_id: "2" });
    const response = await post("/v1/webhooks/convoso/status", { status: "SALE", lead_id: "4242" }, token);
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe("convoso_lead_ambiguous");
    const event = await api.runtime.ctx.db
      .selectFrom("webhook_events")
      .selectAll()
      .where("source", "=", "convoso")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ result: "error", body: { status: "SALE", lead_id: "4242" } });
    expect(event.error).toMatch(/^convoso_lead_ambiguous: /);
    const sold = await api.runtime.ctx.db
      .selectFrom("leads")
      .select("id")
      .where("status", "=", "completed")
      .execute();
    expect(sold).toEqual([]);
  });

  it("every stored Convoso event ends with a result: none stays pending", async () => {
    await post("/v1/webhooks/convoso/status", { status: "NA", phone_number: "2125550799" }, token);
    await post("/v1/webhooks/convoso/status", { status: "NA", lead_id: "4242", list_id: "1" }, token);
    const pending = await api.runtime.ctx.db
      .selectFrom("webhook_events")
      .select("id")
      .where("source", "=", "convoso")
      .where("result", "is", null)
      .execute();
    expect(pending).toEqual([]);
  });

  it("Convoso's lead push reads state names and 4-digit ZIPs like POST /v1/leads, with warnings", async () => {
    const response = await post(
      "/v1/webhooks/convoso/lead",
      {
        phone_number: "6175550706",
        state: "Massachusetts",
        postal_code: "2134",
        lead_id: 9100,
        email: "nope",
      },
      token,
    );
    expect(response.statusCode).toBe(201);
    expect(response.json().warnings.map((w: { field: string }) => w.field)).toEqual(["postal_code", "email"]);
    const row = await api.runtime.ctx.db
      .selectFrom("leads")
      .selectAll()
      .where("phone", "=", "+16175550706")
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: "MA", zip: "02134", convoso_lead_id: "9100", email: null });
  });
});

describe("lenient, lossless intake through POST /v1/leads", () => {
  it("state XX and a 10,000-digit ZIP are dropped with warnings; the lead is admitted on its phone", async () => {
    const response = await post("/v1/leads", { phone: "3125550707", state: "XX", zip: "1".repeat(10_000) });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      state: null,
      zip: null,
      warnings: [{ field: "state" }, { field: "zip" }],
    });
  });
});

const BODY_LIMIT_DEFAULT = 64 * 1024;
