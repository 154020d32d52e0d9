import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiHarness, startApi } from "./api-harness.ts";

const OPS = "ops-key-0000001";
let api: ApiHarness;
beforeAll(async () => {
  api = await startApi({ apiKeys: [`ops:${OPS}`] });
  api.setNow("2026-03-10T15:00:00Z");
});
afterAll(async () => api.close());

/** A browser's cookie jar for one session, by cookie name. */
function jar() {
  const cookies = new Map<string, string>();
  return {
    header: () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; "),
    take(setCookie: string | string[] | undefined) {
      for (const line of [setCookie ?? []].flat()) {
        const [pair] = line.split(";");
        const at = pair?.indexOf("=") ?? -1;
        if (pair && at > 0) cookies.set(pair.slice(0, at), pair.slice(at + 1));
      }
    },
  };
}

async function login(key = OPS) {
  const cookies = jar();
  const page = await api.app.inject({ method: "GET", url: "/dashboard/login" });
  cookies.take(page.headers["set-cookie"]);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
  const response = await api.app.inject({
    method: "POST",
    url: "/dashboard/login",
    headers: { cookie: cookies.header(), "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ _csrf: csrf, api_key: key, next: "/dashboard/leads" }).toString(),
  });
  cookies.take(response.headers["set-cookie"]);
  return { response, cookies, setCookie: [response.headers["set-cookie"] ?? []].flat().join("\n") };
}

describe("the console's login", () => {
  it("a page without a session goes to the login page; a wrong key is refused", async () => {
    const page = await api.app.inject({ method: "GET", url: "/dashboard/queue" });
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe("/dashboard/login?next=%2Fdashboard%2Fqueue");
    const { response } = await login("not-a-key-at-all");
    expect(response.statusCode).toBe(401);
    expect(response.body).toContain("That key is not one of API_KEYS.");
  });

  it("a valid key sets an httpOnly, SameSite=Strict session cookie and goes where it was asked", async () => {
    const { response, setCookie } = await login();
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe("/dashboard/leads");
    expect(setCookie).toMatch(/redial_session=.+; Path=\/dashboard; HttpOnly; SameSite=Strict/);
    expect(setCookie).not.toContain(OPS);
  });

  it("every page renders for a logged-in operator", async () => {
    const { cookies } = await login();
    for (const url of [
      "/dashboard",
      "/dashboard/today/live",
      "/dashboard/queue",
      "/dashboard/leads",
      "/dashboard/calls",
      "/dashboard/health",
      "/dashboard/reports",
      "/dashboard/config",
    ]) {
      const page = await api.app.inject({ method: "GET", url, headers: { cookie: cookies.header() } });
      expect(page.statusCode, `${url}: ${page.body.slice(0, 300)}`).toBe(200);
    }
    const vendor = await api.app.inject({ method: "GET", url: "/dashboard/vendor/chartjs/chart.umd.min.js" });
    expect(vendor.statusCode).toBe(200);
  });

  it("an action without the CSRF token is refused, and nothing changes", async () => {
    const { cookies } = await login();
    const response = await api.app.inject({
      method: "POST",
      url: "/dashboard/fleet/pause",
      headers: { cookie: cookies.header(), "content-type": "application/x-www-form-urlencoded" },
      payload: "note=forged",
    });
    expect(response.statusCode).toBe(403);
    const fleet = await api.app.inject({
      method: "GET",
      url: "/v1/admin/fleet",
      headers: { "x-api-key": OPS },
    });
    expect(fleet.json().paused).toBe(false);
  });

  it("a login never sends the browser outside the dashboard", async () => {
    const cookies = jar();
    const page = await api.app.inject({ method: "GET", url: "/dashboard/login" });
    cookies.take(page.headers["set-cookie"]);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
    const response = await api.app.inject({
      method: "POST",
      url: "/dashboard/login",
      headers: { cookie: cookies.header(), "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ _csrf: csrf, api_key: OPS, next: "//evil.example.com/x" }).toString(),
    });
    expect(response.headers.location).toBe("/dashboard");
  });

  it("the lead search pages on with a Next page link that keeps the filters", async () => {
    for (const phone of ["2125550801", "2125550802"])
      await api.app.inject({
        method: "POST",
        url: "/v1/leads",
        headers: { "x-api-key": OPS },
        payload: { phone },
      });
    const { cookies } = await login();
    const get = (url: string) =>
      api.app.inject({ method: "GET", url, headers: { cookie: cookies.header() } });
    const first = await get("/dashboard/leads?q=&limit=1");
    expect(first.body).toContain("+12125550802");
    const next = /href="(\/dashboard\/leads\?[^"]+)" data-testid="next-page"/.exec(first.body)?.[1];
    expect(next).toContain("limit=1");
    const second = await get((next ?? "").replaceAll("&amp;", "&"));
    expect(second.body).toContain("+12125550801");
    expect(second.body).not.toContain("+12125550802");
  });
});
