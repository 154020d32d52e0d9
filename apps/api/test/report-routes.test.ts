import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY, type ApiHarness, startApi } from "./api-harness.ts";

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
  api.setNow("2026-03-10T15:00:00Z");
  const db = api.runtime.ctx.db;
  const [a, b] = await db
    .insertInto("leads")
    .values([
      { phone: "+12125550201", created_at: "2026-03-09T14:00:00Z" },
      {
        phone: "+12125550202",
        created_at: "2026-03-10T03:30:00Z",
        status: "completed",
        final_outcome: "SALE",
        last_outcome: "SALE",
        completed_at: "2026-03-10T14:05:00Z",
      },
    ])
    .returning("id")
    .execute();
  const attempt = (
    leadId: number,
    n: number,
    dialedAt: string,
    day: string,
    outcome: string,
    answered: boolean,
    price: number,
  ) => ({
    lead_id: leadId,
    attempt_number: n,
    campaign_day: day,
    dialed_at: dialedAt,
    state: "ended" as const,
    outcome,
    answered,
    transferred: outcome === "TRANSFERRED",
    price,
    ended_at: dialedAt,
  });
  await db
    .insertInto("call_attempts")
    .values([
      attempt(a!.id, 1, "2026-03-09T15:00:00Z", "2026-03-09", "NO_ANSWER", false, 0.02),
      attempt(a!.id, 2, "2026-03-10T15:00:00Z", "2026-03-10", "TRANSFERRED", true, 0.3),
      attempt(b!.id, 1, "2026-03-10T14:00:00Z", "2026-03-10", "SALE", true, 0.5),
    ])
    .execute();
});
afterAll(async () => api.close());

const get = (url: string) => api.app.inject({ method: "GET", url, headers: { "x-api-key": API_KEY } });

describe("GET /v1/reports/*", () => {
  it("range: calls, redials, rates and cost per campaign day and in total", async () => {
    const report = (await get("/v1/reports/range?from=2026-03-09&to=2026-03-10")).json();
    expect(report.total).toMatchObject({
      calls_placed: 3,
      calls_ended: 3,
      redials: 1,
      answered: 2,
      reached: 2,
      transfers: 1,
      transferred: 1,
      sale_calls: 1,
      sold_leads: 1,
      connectivity_rate: 2 / 3,
      transfer_rate: 0.5,
    });
    expect(report.total.cost).toBeCloseTo(0.82, 6);
    expect(
      report.days.map((d: { day?: string; date?: string; calls_placed: number }) => d.calls_placed),
    ).toEqual([1, 2]);
  });

  it("breakdown: a lead created 23:30 Eastern belongs to that Eastern day", async () => {
    const report = (await get("/v1/reports/breakdown?from=2026-03-09&to=2026-03-09")).json();
    expect(report).toMatchObject({ leads_in_period: 2, completed_sale: 1, still_redialing: 1, paused: 0 });
  });

  it("totals and capacity answer; CSV on request", async () => {
    expect((await get("/v1/reports/totals")).json()).toMatchObject({ total_leads: 2, completed_sale: 1 });
    expect((await get("/v1/reports/capacity")).json()).toMatchObject({
      still_redialing: 1,
      expected_daily_calls: 8,
    });
    const csv = await get("/v1/reports/range?from=2026-03-09&to=2026-03-10&format=csv");
    expect(csv.headers["content-type"]).toMatch(/text\/csv/);
    expect(csv.body.split("\n")[0]).toMatch(/calls_placed/);
  });

  it("refuses a malformed day with a clear error", async () => {
    const response = await get("/v1/reports/range?from=March");
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/YYYY-MM-DD/);
  });
});
