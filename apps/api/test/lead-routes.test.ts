import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { API_KEY, type ApiHarness, CONVOSO_TOKEN, startApi } from "./api-harness.ts";

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => api.close());
beforeEach(() => {
  // Tuesday 2026-03-10 11:00 EDT (DST began on the 8th).
  api.setNow("2026-03-10T15:00:00Z");
});

const headers = { "x-api-key": API_KEY };
const post = (url: string, payload: unknown) =>
  api.app.inject({ method: "POST", url, headers, payload: payload as object });

async function queuedJobs(leadId: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'dial' AND singleton_key = ${String(leadId)} AND state IN ('created', 'retry')`.execute(
    api.runtime.ctx.db,
  );
  return rows[0]?.n ?? 0;
}

describe("POST /v1/leads", () => {
  it("a Hawaii lead added at 11:00 Eastern waits for 08:00 in Honolulu (14:00 Eastern), with the reason", async () => {
    const response = await post("/v1/leads", { phone: "808-555-0101", state: "HI", zip: "96813" });
    expect(response.statusCode).toBe(201);
    const lead = response.json();
    expect(lead).toMatchObject({
      phone: "+18085550101",
      timezones: ["Pacific/Honolulu"],
      status: "active",
      attempts_today: 0,
      attempts_total: 0,
    });
    expect(lead.next_attempt_at).toBe("2026-03-10T18:00:00.000Z");
    expect(lead.waiting_reason).toMatch(/^outside_window/);
    expect(await queuedJobs(lead.id)).toBe(1);
  });

  it("a Pensacola lead (ZIP 32501, area code 850) keeps Central and Eastern and is callable at 11:05 Eastern", async () => {
    api.setNow("2026-03-10T15:05:00Z");
    const lead = (await post("/v1/leads", { phone: "850-555-0102", state: "FL", zip: "32501" })).json();
    expect(lead.timezones).toEqual(["America/Chicago", "America/New_York"]);
    expect(lead.next_attempt_at).toBe("2026-03-10T15:05:00.000Z");
  });

  it("is idempotent by phone: the same number from another list is the same lead, with both list ids", async () => {
    const first = await post("/v1/leads", { phone: "(212) 555-0103", list_id: "100" });
    const second = await post("/v1/leads", { phone: "+1 212 555 0103", list_id: "200" });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json().id).toBe(first.json().id);
    expect(second.json().list_ids).toEqual(["100", "200"]);
    expect(await queuedJobs(first.json().id)).toBe(1);
  });

  it("refuses a number that is not a US phone with a clear error, writing nothing", async () => {
    const before = await api.runtime.ctx.db
      .selectFrom("leads")
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirstOrThrow();
    const response = await post("/v1/leads", { phone: "555-0100" });
    expect(response.statusCode).toBe(422);
    expect(response.json().error).toMatchObject({ code: "invalid_phone" });
    expect((await post("/v1/leads", { state: "NY" })).statusCode).toBe(400);
    const after = await api.runtime.ctx.db
      .selectFrom("leads")
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});

describe("POST /v1/leads/bulk", () => {
  it("reports each row: created, existing (same phone twice), rejected — and writes only the good ones", async () => {
    const response = await post("/v1/leads/bulk", {
      leads: [
        { phone: "3055550110", state: "FL" },
        { phone: "12" },
        { phone: "(305) 555-0110" },
        { phone: "3055550111", zip: "33101" },
      ],
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ created: 2, existing: 1, rejected: 1 });
    expect(body.results.map((r: { status: string }) => r.status)).toEqual([
      "created",
      "rejected",
      "existing",
      "created",
    ]);
    expect(body.results[1].error.code).toBe("invalid_phone");
  });

  it("refuses more than 10,000 rows before writing anything", async () => {
    const rows = Array.from({ length: 10_001 }, (_, i) => ({
      phone: `212${String(5_000_000 + i).padStart(7, "0")}`,
    }));
    const response = await post("/v1/leads/bulk", rows);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/10000|10,000/);
  });
});

describe("a lead by hand", () => {
  it("GET shows the lead, its attempts and why it waits; an unknown id is 404", async () => {
    const lead = (await post("/v1/leads", { phone: "7135550120", state: "TX" })).json();
    const shown = await api.app.inject({ method: "GET", url: `/v1/leads/${lead.id}`, headers });
    expect(shown.json()).toMatchObject({ id: lead.id, attempts: [], status: "active" });
    const missing = await api.app.inject({ method: "GET", url: "/v1/leads/999999", headers });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe("lead_not_found");
  });

  it("pause removes the lead's job, resume gives it back, stop SALE completes it for good", async () => {
    const lead = (await post("/v1/leads", { phone: "4045550121", state: "GA" })).json();
    expect((await post(`/v1/leads/${lead.id}/pause`, {})).json().status).toBe("paused");
    expect(await queuedJobs(lead.id)).toBe(0);
    expect((await post(`/v1/leads/${lead.id}/resume`, {})).json().status).toBe("active");
    expect(await queuedJobs(lead.id)).toBe(1);
    const stopped = (await post(`/v1/leads/${lead.id}/stop`, { outcome: "SALE" })).json();
    expect(stopped).toMatchObject({ status: "completed", final_outcome: "SALE", next_attempt_at: null });
    expect(await queuedJobs(lead.id)).toBe(0);
    const resumed = await post(`/v1/leads/${lead.id}/resume`, {});
    expect(resumed.statusCode).toBe(409);
  });

  it("POST /v1/dnc completes the phone's lead and refuses the phone afterwards", async () => {
    const lead = (await post("/v1/leads", { phone: "6175550122", state: "MA" })).json();
    const dnc = (await post("/v1/dnc", { phone: "617-555-0122", reason: "asked by email" })).json();
    expect(dnc).toMatchObject({
      phone: "+16175550122",
      added: true,
      lead: { id: lead.id, status: "completed", final_outcome: "DNC" },
    });
    expect((await post("/v1/leads", { phone: "6175550122" })).statusCode).toBe(409);
  });
});

describe("scheduler config", () => {
  it("accepts the seed's scheduler-config.json as is, and the next decision follows it", async () => {
    const seed = {
      timezone: "America/New_York",
      schedule: { days: [1, 2, 3, 4, 5], startTime: "11:00", endTime: "20:00" },
      blackoutDates: ["2026-03-10"],
    };
    const put = await api.app.inject({
      method: "PUT",
      url: "/v1/admin/scheduler-config",
      headers,
      payload: seed,
    });
    expect(put.statusCode).toBe(200);
    const got = (await api.app.inject({ method: "GET", url: "/v1/admin/scheduler-config", headers })).json();
    expect(got).toMatchObject(seed);
    const lead = (await post("/v1/leads", { phone: "2125550130", state: "NY", zip: "10001" })).json();
    // Today is a blackout date: the next instant is tomorrow 11:00 EDT.
    expect(lead.next_attempt_at).toBe("2026-03-11T15:00:00.000Z");
    await api.app.inject({
      method: "PUT",
      url: "/v1/admin/scheduler-config",
      headers,
      payload: { ...seed, blackoutDates: [] },
    });
  });

  it("refuses an invalid calendar, naming the field", async () => {
    const response = await api.app.inject({
      method: "PUT",
      url: "/v1/admin/scheduler-config",
      headers,
      payload: {
        timezone: "Mars/Olympus",
        schedule: { days: [1], startTime: "20:00", endTime: "11:00" },
        blackoutDates: [],
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/timezone/);
    expect(response.json().error.message).toMatch(/endTime/);
  });
});

describe("Convoso's lead webhook", () => {
  it("takes Convoso's own field names behind the shared token", async () => {
    const payload = {
      phone_number: "3125550140",
      lead_id: "777",
      list_id: "55",
      postal_code: "60601",
      state: "IL",
      first_name: "Ann",
    };
    expect(
      (await api.app.inject({ method: "POST", url: "/v1/webhooks/convoso/lead", payload })).statusCode,
    ).toBe(401);
    const response = await api.app.inject({
      method: "POST",
      url: "/v1/webhooks/convoso/lead",
      headers: { "x-webhook-token": CONVOSO_TOKEN },
      payload,
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ phone: "+13125550140", timezones: ["America/Chicago"] });
    const row = await api.runtime.ctx.db
      .selectFrom("leads")
      .selectAll()
      .where("phone", "=", "+13125550140")
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      convoso_lead_id: "777",
      list_ids: ["55"],
      zip: "60601",
      first_name: "Ann",
      source: "convoso",
    });
  });
});

describe("GET /api/admin/statistics/today", () => {
  it("answers the seed's curl with today's campaign-day totals", async () => {
    const stats = (
      await api.app.inject({ method: "GET", url: "/api/admin/statistics/today", headers })
    ).json();
    expect(stats).toMatchObject({
      date: "2026-03-10",
      timezone: "America/New_York",
      total_calls: 0,
      cost: 0,
    });
    for (const key of [
      "calls_placed",
      "calls_ended",
      "calls_in_progress",
      "redials",
      "unique_leads_called",
      "answered",
      "reached",
      "transfers",
      "transferred",
      "sale_calls",
      "sold_leads",
      "dnc_leads",
      "outcome_counts",
      "connectivity_rate",
      "transfer_rate",
      "still_redialing",
      "daily_max_reached_today",
    ]) {
      expect(stats, key).toHaveProperty(key);
    }
  });
});

describe("Convoso's status webhook", () => {
  it("a closer's SALE in Convoso completes the lead; an ordinary status changes nothing", async () => {
    const lead = (await post("/v1/leads", { phone: "3125550150", convoso_lead_id: "9001" })).json();
    const auth = { "x-webhook-token": CONVOSO_TOKEN };
    const na = await api.app.inject({
      method: "POST",
      url: "/v1/webhooks/convoso/status",
      headers: auth,
      payload: { lead_id: "9001", status: "NA" },
    });
    expect(na.json()).toMatchObject({ result: "ignored", lead_id: lead.id });
    const sale = await api.app.inject({
      method: "POST",
      url: "/v1/webhooks/convoso/status",
      headers: auth,
      payload: { phone_number: "3125550150", status: "SALE" },
    });
    expect(sale.json()).toMatchObject({ result: "completed_sale", lead_id: lead.id });
    const shown = (await api.app.inject({ method: "GET", url: `/v1/leads/${lead.id}`, headers })).json();
    expect(shown).toMatchObject({ status: "completed", final_outcome: "SALE" });
    expect(await queuedJobs(lead.id)).toBe(0);
  });

  it("a DNC-family status (DNCL) completes the lead as DNC and puts the phone on our list", async () => {
    const lead = (await post("/v1/leads", { phone: "3125550151" })).json();
    const response = await api.app.inject({
      method: "POST",
      url: "/v1/webhooks/convoso/status",
      headers: { "x-webhook-token": CONVOSO_TOKEN },
      payload: { phone_number: "3125550151", status: "DNCL" },
    });
    expect(response.json()).toMatchObject({ result: "completed_dnc", lead_id: lead.id });
    const dnc = await api.runtime.ctx.db
      .selectFrom("dnc_phones")
      .selectAll()
      .where("phone", "=", "+13125550151")
      .executeTakeFirst();
    expect(dnc?.reason).toMatch(/DNCL/);
  });
});
