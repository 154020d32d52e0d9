import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY, type ApiHarness, startApi } from "./api-harness.ts";

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi({ syncToConvoso: false, app: { limits: { reportMaxDays: 400 } } });
  api.setNow("2026-03-10T15:00:00Z");
});
afterAll(async () => api.close());

const get = (url: string) => api.app.inject({ method: "GET", url, headers: { "x-api-key": API_KEY } });

describe("report dates are validated at the edge (400 naming the field, never a 500)", () => {
  it.each([
    ["/v1/reports/range?from=2026-02-30", /^from: /],
    ["/v1/reports/range?to=2026-13-01", /^to: /],
    ["/v1/reports/breakdown?from=9999-01-01&to=9999-01-05", /^from: /],
    ["/v1/reports/range?from=1000-01-01&to=3000-12-31", /^from: /],
    ["/v1/reports/range?from=2026-3-1", /^from: /],
  ])("%s is 400 naming the field", async (url, field) => {
    const response = await get(url);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: { code: "invalid_input", message: expect.stringMatching(field) },
    });
  });

  it("a reversed range is 400 invalid_period that says to swap them", async () => {
    const response = await get("/v1/reports/range?from=2026-03-10&to=2026-03-01");
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toEqual({ code: "invalid_period", message: expect.stringMatching(/swap/) });
  });

  it("a range over REPORT_MAX_DAYS is refused with the first page to ask for; 400 days is answered", async () => {
    const tooLong = await get("/v1/reports/range?from=2025-01-01&to=2026-03-10");
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.message).toMatch(/at most 400 .*from=2025-01-01&to=2026-02-04/);
    const longest = await get("/v1/reports/range?from=2025-02-04&to=2026-03-10");
    expect(longest.statusCode).toBe(200);
    expect(longest.json().days).toHaveLength(400);
  });

  it("without from, the period is the 30 days before `to`", async () => {
    const response = await get("/v1/reports/range?to=2025-06-30");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ from: "2025-05-31", to: "2025-06-30" });
  });
});
