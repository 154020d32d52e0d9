import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { historyPhone, type RunningSimulator } from "../src/index.ts";
import { configure, startTestSimulator } from "./helpers.ts";

let sim: RunningSimulator;
const TOKEN = "sim-convoso-token";

beforeAll(async () => {
  sim = await startTestSimulator({ historyCalls: 2000 });
});
afterAll(() => sim.close());
beforeEach(async () => {
  await fetch(`${sim.url}/_sim/reset`, { method: "POST" });
});

type Body = Record<string, unknown> & { data?: Record<string, unknown> & { entries?: Lead[] } };
type Lead = Record<string, string>;

/** POST form-encoded, as Convoso clients do. */
async function convoso(path: string, fields: Record<string, string>, token = TOKEN): Promise<Body> {
  const response = await fetch(`${sim.url}/v1${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ auth_token: token, ...fields }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Body;
}

async function leadsOf(phone: string): Promise<Lead[]> {
  return (await convoso("/leads/search", { phone_number: phone })).data?.entries ?? [];
}

describe("Convoso", () => {
  it("a wrong token is HTTP 200 with success false and code 5001", async () => {
    expect(await convoso("/leads/search", {}, "bad")).toEqual({
      success: false,
      code: 5001,
      text: "Auth token is invalid",
    });
  });

  it("takes auth_token and fields as query parameters too", async () => {
    const response = await fetch(`${sim.url}/v1/status/search?auth_token=${TOKEN}&query=SALE`, {
      method: "POST",
    });
    const body = (await response.json()) as { success: boolean; data: Array<Record<string, string>> };
    expect(body.data[0]).toMatchObject({ status: "SALE", success: "Y", final: "Y" });
  });

  it("lists statuses with their flags: SALE success, DNC family dnc, CB callback", async () => {
    const { data } = (await convoso("/status/search", {})) as unknown as {
      data: Array<Record<string, string>>;
    };
    const by = new Map(data.map((s) => [s.status, s]));
    for (const code of ["SALE", "DNC", "DNCL", "NA", "B", "A", "CB", "NI", "N", "ACA"])
      expect(by.has(code)).toBe(true);
    expect(by.get("DNCQ")?.dnc).toBe("Y");
    expect(by.get("CB")?.callback).toBe("Y");
  });

  it("derives leads for history phones: ids and counts as strings, some in two lists, some missing, some SALE/DNC", async () => {
    const leads = await Promise.all(Array.from({ length: 400 }, (_, p) => leadsOf(historyPhone(p))));
    expect(leads.filter((l) => l.length === 0).length).toBeGreaterThan(10);
    expect(leads.filter((l) => l.length === 2).length).toBeGreaterThan(10);
    const statuses = new Set(leads.flat().map((l) => l.status));
    expect(statuses).toContain("SALE");
    expect(statuses).toContain("DNC");
    const lead = leads.flat()[0]!;
    expect(typeof lead.id).toBe("string");
    expect(typeof lead.called_count).toBe("string");
    expect(lead.phone_number).toMatch(/^\d{10}$/);
  });

  it("searches by list and status with offset and limit; total is a string", async () => {
    const body = await convoso("/leads/search", { status: "SALE", offset: "0", limit: "5" });
    expect(body.data?.total).toMatch(/^\d+$/);
    expect(body.data?.entries?.every((l) => l.status === "SALE")).toBe(true);
  });

  it("inserts, finds and updates a lead; an unknown status is 6050; an unknown lead 6001", async () => {
    const inserted = await convoso("/leads/insert", {
      list_id: "777",
      phone_number: "(555) 300-0001",
      first_name: "Zed",
    });
    const leadId = String(inserted.data?.lead_id);
    expect(leadId).toMatch(/^\d+$/);
    expect((await leadsOf("+15553000001"))[0]).toMatchObject({
      id: leadId,
      first_name: "Zed",
      status: "NEW",
    });
    expect(await convoso("/leads/update", { lead_id: leadId, status: "SALE" })).toMatchObject({
      success: true,
    });
    expect((await leadsOf("5553000001"))[0]?.status).toBe("SALE");
    expect(await convoso("/leads/update", { lead_id: leadId, status: "NOPE" })).toMatchObject({ code: 6050 });
    expect(await convoso("/leads/update", { lead_id: "42", status: "NA" })).toMatchObject({ code: 6001 });
  });

  it("allows the same phone in several lists", async () => {
    await convoso("/leads/insert", { list_id: "1", phone_number: "5553000002" });
    await convoso("/leads/insert", { list_id: "2", phone_number: "5553000002" });
    expect((await leadsOf("5553000002")).map((l) => l.list_id)).toEqual(["1", "2"]);
  });

  it("a DNC insert twice answers 6008 the second time, and DNC search finds it", async () => {
    expect(await convoso("/dnc/insert", { phone_number: "5553000003", campaign_id: "0" })).toMatchObject({
      success: true,
    });
    expect(await convoso("/dnc/insert", { phone_number: "5553000003", campaign_id: "0" })).toMatchObject({
      success: false,
      code: 6008,
    });
    const found = await convoso("/dnc/search", { phone_number: "5553000003" });
    expect(found.data?.entries).toEqual([
      expect.objectContaining({ phone_number: "5553000003", campaign_id: "0" }),
    ]);
  });

  it("updating a derived history lead keeps the change", async () => {
    let p = 0;
    while ((await leadsOf(historyPhone(p))).length === 0) p++;
    const phone = historyPhone(p);
    const leadId = String((await leadsOf(phone))[0]?.id);
    await convoso("/leads/update", { lead_id: leadId, status: "DNCQ" });
    expect((await leadsOf(phone)).find((l) => l.id === leadId)?.status).toBe("DNCQ");
  });

  it("seeds leads through /_sim/convoso/leads", async () => {
    await fetch(`${sim.url}/_sim/convoso/leads`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ leads: [{ phone_number: "5553000004", list_id: 9, status: "CB" }] }),
    });
    expect((await leadsOf("5553000004"))[0]).toMatchObject({ list_id: "9", status: "CB" });
  });

  it("answers lists in each configured shape", async () => {
    await convoso("/leads/insert", { list_id: "1", phone_number: "5553000005" });
    const q = { phone_number: "5553000005" };
    await configure(sim, { convoso: { responseShape: "results" } });
    expect(((await convoso("/leads/search", q)).data as { results: Lead[] }).results).toHaveLength(1);
    await configure(sim, { convoso: { responseShape: "array" } });
    expect((await convoso("/leads/search", q)).data).toHaveLength(1);
    await configure(sim, { convoso: { responseShape: "flat" } });
    expect((await convoso("/leads/search", q)).entries).toHaveLength(1);
  });

  it("faults: 429 and 500 as HTTP statuses", async () => {
    await configure(sim, { faults: { convosoRateLimit: { next: 1 }, convosoServerError: { next: 1 } } });
    const post = () =>
      fetch(`${sim.url}/v1/status/search`, {
        method: "POST",
        body: new URLSearchParams({ auth_token: TOKEN }),
      });
    expect((await post()).status).toBe(429);
    expect((await post()).status).toBe(500);
    expect((await post()).status).toBe(200);
  });
});
