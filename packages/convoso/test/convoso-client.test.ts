import { startSimulator } from "@redial/simulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type ConvosoClient,
  ConvosoError,
  classifyConvosoStatus,
  createConvosoClient,
} from "../src/index.ts";

const TOKEN = "sim-convoso-token";

type Simulator = Awaited<ReturnType<typeof startSimulator>>;
let sim: Simulator;
let convoso: ConvosoClient;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, historyCalls: 0 });
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await control("/_sim/reset", "POST");
  convoso = createConvosoClient({ baseUrl: sim.url, authToken: TOKEN, retryBaseMs: 5 });
});

async function control(path: string, method: "POST" | "PUT", body?: unknown): Promise<void> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok, `${method} ${path} answered ${response.status}`).toBe(true);
}

/** The requests the simulator recorded on one Convoso route. */
function recorded(route: string) {
  return sim.state.requests.list({ route: `/v1${route}` });
}

async function failure(promise: Promise<unknown>): Promise<ConvosoError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConvosoError);
  return error as ConvosoError;
}

describe("leads", () => {
  it("insertLead returns the new id and searchLeads finds the lead by id, with its fields", async () => {
    const { leadId } = await convoso.insertLead({
      listId: "100",
      phoneNumber: "5551230001",
      first_name: "Ada",
      last_name: "Lovelace",
      email: "ada@example.com",
      state: "FL",
      postal_code: "32501",
    });
    const { total, leads } = await convoso.searchLeads({ leadId });
    expect(total).toBe(1);
    expect(leads[0]).toMatchObject({
      leadId,
      listId: "100",
      phone: "5551230001",
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@example.com",
      state: "FL",
      postalCode: "32501",
    });
    expect(leads[0]?.raw.first_name).toBe("Ada");
  });

  it("updateLead sets the status by its abbreviation; status_name comes back", async () => {
    const { leadId } = await convoso.insertLead({ listId: "100", phoneNumber: "5551230002" });
    await convoso.updateLead(leadId, { status: "SALE", first_name: "Bo" });
    const lead = (await convoso.searchLeads({ leadId })).leads[0];
    expect(lead).toMatchObject({ status: "SALE", statusName: "Sale", firstName: "Bo" });
  });

  it("searchLeads filters by list and status and pages with offset and limit", async () => {
    for (const n of [1, 2, 3])
      await convoso.insertLead({ listId: "300", phoneNumber: `555123010${n}`, status: "NA" });
    await convoso.insertLead({ listId: "300", phoneNumber: "5551230109", status: "SALE" });
    const page = await convoso.searchLeads({ listId: "300", status: "NA", offset: 1, limit: 1 });
    expect(page.total).toBe(3);
    expect(page.leads.map((l) => l.phone)).toEqual(["5551230102"]);
  });

  it("findLeadByPhone takes E.164, sends 10 digits, and returns the first match when the phone is in two lists", async () => {
    const first = await convoso.insertLead({ listId: "100", phoneNumber: "5551230003" });
    await convoso.insertLead({ listId: "200", phoneNumber: "5551230003" });
    const lead = await convoso.findLeadByPhone("+15551230003");
    expect(lead).toMatchObject({ leadId: first.leadId, listId: "100" });
    expect(recorded("/leads/search").at(-1)?.body).toMatchObject({ phone_number: "5551230003" });
  });

  it("findLeadByPhone is undefined for a phone Convoso does not know", async () => {
    await expect(convoso.findLeadByPhone("+15559990000")).resolves.toBeUndefined();
  });

  it("updateLead of a lead that does not exist is not_found (6001 in an HTTP 200)", async () => {
    const error = await failure(convoso.updateLead("999999999", { status: "NA" }));
    expect(error).toMatchObject({ code: "not_found", convosoCode: 6001 });
  });

  it("updateLead with a status the account lacks is invalid (6050)", async () => {
    const { leadId } = await convoso.insertLead({ listId: "100", phoneNumber: "5551230004" });
    const error = await failure(convoso.updateLead(leadId, { status: "NOPE" }));
    expect(error).toMatchObject({ code: "invalid", convosoCode: 6050 });
  });
});

describe("response shapes", () => {
  it.each(["entries", "results", "array", "flat"] as const)(
    "searchLeads reads the %s shape",
    async (responseShape) => {
      const { leadId } = await convoso.insertLead({ listId: "100", phoneNumber: "5551230005" });
      await control("/_sim/config", "PUT", { convoso: { responseShape } });
      const { total, leads } = await convoso.searchLeads({ phoneNumber: "5551230005" });
      expect(total).toBe(1);
      expect(leads.map((l) => l.leadId)).toEqual([leadId]);
    },
  );

  it.each(["entries", "results", "array", "flat"] as const)(
    "searchDnc reads the %s shape",
    async (responseShape) => {
      await convoso.insertDnc("+15551230006");
      await control("/_sim/config", "PUT", { convoso: { responseShape } });
      await expect(convoso.searchDnc("5551230006")).resolves.toBe(true);
      await expect(convoso.searchDnc("5551230007")).resolves.toBe(false);
    },
  );
});

describe("DNC", () => {
  it("insertDnc puts the 10 digits on the global list; searchDnc then finds it", async () => {
    await expect(convoso.searchDnc("+15551230010")).resolves.toBe(false);
    await convoso.insertDnc("+15551230010", { reason: "asked on the call" });
    expect(recorded("/dnc/insert").at(-1)?.body).toMatchObject({
      phone_number: "5551230010",
      campaign_id: "0",
      reason: "asked on the call",
    });
    await expect(convoso.searchDnc("+15551230010")).resolves.toBe(true);
  });

  it("inserting a number already on the list (6008) is a success", async () => {
    await convoso.insertDnc("5551230011");
    await expect(convoso.insertDnc("5551230011")).resolves.toBeUndefined();
  });
});

describe("statuses", () => {
  it("searchStatuses turns the Y/N flags into booleans", async () => {
    const statuses = await convoso.searchStatuses();
    expect(statuses.find((s) => s.code === "SALE")).toEqual({
      code: "SALE",
      name: "Sale",
      final: true,
      success: true,
      dnc: false,
      callback: false,
      contact: true,
      voicemail: false,
      reached: true,
    });
    expect(statuses.find((s) => s.code === "CB")).toMatchObject({ callback: true, final: false });
  });

  it("searchStatuses sends the query", async () => {
    const statuses = await convoso.searchStatuses("DNCL");
    expect(statuses.map((s) => s.code)).toContain("DNCL");
    expect(recorded("/status/search").at(-1)?.body).toMatchObject({ query: "DNCL" });
  });

  it("the account's flags classify its statuses: SALE is sale, every DNC* is dnc, the rest other", async () => {
    const statuses = await convoso.searchStatuses();
    const classes = Object.fromEntries(
      statuses.map((s) => [s.code, classifyConvosoStatus(s.code, statuses)]),
    );
    expect(classes).toMatchObject({
      SALE: "sale",
      DNC: "dnc",
      DNCL: "dnc",
      DNCQ: "dnc",
      NA: "other",
      CB: "other",
    });
  });
});

describe("errors and retries against the simulator", () => {
  it("a wrong auth token is auth (5001), not retried", async () => {
    const wrong = createConvosoClient({ baseUrl: sim.url, authToken: "wrong", retryBaseMs: 5 });
    const error = await failure(wrong.searchStatuses());
    expect(error.code).toBe("auth");
    expect(recorded("/status/search")).toHaveLength(1);
  });

  it("two injected 500s are retried and the third request succeeds", async () => {
    await control("/_sim/config", "PUT", { faults: { convosoServerError: { next: 2 } } });
    await expect(convoso.searchStatuses()).resolves.not.toHaveLength(0);
    expect(recorded("/status/search").map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it("an injected 429 is retried", async () => {
    await control("/_sim/config", "PUT", { faults: { convosoRateLimit: { next: 1 } } });
    await convoso.insertDnc("5551230012");
    expect(recorded("/dnc/insert").map((r) => r.status)).toEqual([429, 200]);
  });

  it("500 on every attempt is thrown as server after maxRetries", async () => {
    await control("/_sim/config", "PUT", { faults: { convosoServerError: { probability: 1 } } });
    const c = createConvosoClient({ baseUrl: sim.url, authToken: TOKEN, maxRetries: 2, retryBaseMs: 5 });
    expect(await failure(c.searchStatuses())).toMatchObject({ code: "server", status: 500 });
    expect(recorded("/status/search")).toHaveLength(3);
  });
});

describe("pace", () => {
  it("12 requests at 20/s reach the simulator over at least 11/20 s", async () => {
    const c = createConvosoClient({ baseUrl: sim.url, authToken: TOKEN, requestsPerSecond: 20 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => c.searchLeads({ leadId: String(i + 1) })));
    // The simulator stamps each request when it answers; arrival is that minus its duration.
    const arrivals = recorded("/leads/search").map((r) => Date.parse(r.at) - r.durationMs);
    expect(arrivals).toHaveLength(12);
    // Whole-millisecond stamps and delivery jitter: allow 5 ms.
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeGreaterThanOrEqual(550 - 5);
  });
});
