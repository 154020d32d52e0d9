import { API_KEY, type Loop, startLoop } from "@redial/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let loop: Loop;
const logLines: string[] = [];
beforeAll(async () => {
  loop = await startLoop({
    simulator: { outcomeByPhone: { "+12125550601": "sale", "+12125550602": "no_answer" } },
    logLines,
  });
});
afterAll(async () => loop?.close());

async function addLead(phone: string) {
  const response = await loop.api.inject({
    method: "POST",
    url: "/v1/leads",
    headers: { "x-api-key": API_KEY },
    payload: { phone, state: "NY", zip: "10001" },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: number };
}

/** The value of one sample line of a Prometheus text page (0 when absent). */
function sample(page: string, name: string, labels = ""): number {
  const line = page.split("\n").find((l) => l.startsWith(`${name}${labels} `) || l === `${name}${labels}`);
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

describe("/metrics after a known run: one SALE lead, one NO_ANSWER lead taken to its daily max (3)", () => {
  it("the worker counts 4 placed dials and the lag; the API counts the results and reads the fleet's figures", async () => {
    const sale = await addLead("(212) 555-0601");
    const busy = await addLead("(212) 555-0602");
    const db = loop.runtime.ctx.db;
    await loop.waitFor(async () => {
      const rows = await db
        .selectFrom("leads")
        .select(["id", "status"])
        .where("id", "in", [sale.id, busy.id])
        .execute();
      return rows.every((r) => r.status === "completed" || r.status === "daily_max_reached");
    }, "both leads settled");

    const worker = loop.workers[0]!;
    expect(worker.metricsUrl).toBeDefined();
    const scrape = await fetch(worker.metricsUrl!);
    expect(scrape.status).toBe(200);
    const workerPage = await scrape.text();
    expect(sample(workerPage, "redial_dials_placed_total")).toBe(4);
    expect(sample(workerPage, "redial_dial_jobs_total", '{result="placed"}')).toBe(4);
    expect(sample(workerPage, "redial_due_to_dial_lag_seconds_count")).toBe(4);
    expect(
      sample(workerPage, "redial_bland_request_seconds_count", '{operation="create_call",outcome="ok"}'),
    ).toBe(4);

    const unauthorized = await loop.api.inject({ method: "GET", url: "/metrics" });
    expect(unauthorized.statusCode).toBe(401);
    const apiPage = (
      await loop.api.inject({
        method: "GET",
        url: "/metrics",
        headers: { authorization: `Bearer ${API_KEY}` },
      })
    ).body;
    expect(sample(apiPage, "redial_call_results_total", '{result="processed",outcome="SALE"}')).toBe(1);
    expect(sample(apiPage, "redial_call_results_total", '{result="processed",outcome="NO_ANSWER"}')).toBe(3);
    expect(sample(apiPage, "redial_webhook_intake_seconds_count", '{source="bland",status="200"}')).toBe(4);
    expect(sample(apiPage, "redial_calls_today", '{figure="total_calls"}')).toBe(4);
    expect(sample(apiPage, "redial_calls_today", '{figure="sale_calls"}')).toBe(1);
    expect(sample(apiPage, "redial_leads", '{group="completed_sale"}')).toBe(1);
    expect(sample(apiPage, "redial_leads", '{group="daily_max_reached_today"}')).toBe(1);
    expect(sample(apiPage, "redial_workers_alive")).toBe(1);
    expect(sample(apiPage, "redial_fleet_paused")).toBe(0);
    expect(sample(apiPage, "redial_spend_today_dollars")).toBeGreaterThan(0);
    expect(apiPage).toContain(
      'redial_http_request_seconds_count{method="POST",route="/v1/leads",status="201"} 2',
    );
  });

  it("one structured line per dial and per result, the phone masked to its last 4 digits", () => {
    const entries = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const dials = entries.filter((e) => e.event === "dial");
    const results = entries.filter((e) => e.event === "result");
    expect(dials).toHaveLength(4);
    expect(results).toHaveLength(4);
    for (const line of [...dials, ...results]) {
      expect(line).toMatchObject({
        lead_id: expect.any(Number),
        attempt_id: expect.any(Number),
        call_id: expect.any(String),
        phone: expect.stringMatching(/^•••060[12]$/),
      });
    }
    expect(results.map((r) => r.outcome).sort()).toEqual(["NO_ANSWER", "NO_ANSWER", "NO_ANSWER", "SALE"]);
    expect(logLines.join("\n")).not.toMatch(/2125550601|2125550602/);
  });
});
