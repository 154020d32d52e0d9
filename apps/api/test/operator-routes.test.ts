import { parseApiKeys } from "@redial/config";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { apiConfigSchema } from "../src/config.ts";
import { type ApiHarness, startApi } from "./api-harness.ts";

const OPS = "ops-key-0000001";
const ALICE = "alice-key-00002";
let api: ApiHarness;
beforeAll(async () => {
  api = await startApi({ apiKeys: [`ops:${OPS}`, `alice:${ALICE}`] });
});
afterAll(async () => api.close());
beforeEach(() => {
  // Tuesday 2026-03-10 11:00 EDT.
  api.setNow("2026-03-10T15:00:00Z");
});

const as = (key: string) => ({ "x-api-key": key });
const request = (method: "GET" | "POST" | "PUT" | "DELETE", url: string, key = OPS, payload?: unknown) =>
  api.app.inject({
    method,
    url,
    headers: as(key),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

async function addLead(body: Record<string, unknown>) {
  const response = await request("POST", "/v1/leads", OPS, { state: "NY", zip: "10001", ...body });
  expect(response.statusCode, response.body).toBeLessThan(300);
  return response.json() as { id: number; phone: string };
}

async function queuedJobs(leadId: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'dial' AND singleton_key = ${String(leadId)} AND state IN ('created', 'retry')`.execute(
    api.runtime.ctx.db,
  );
  return rows[0]?.n ?? 0;
}

describe("API keys with names", () => {
  it("`name:key` entries keep their name; a bare key is named key-N by its position", () => {
    expect(parseApiKeys(["ops:abcdefgh1", "plainkey-000002", "alice:k:with:colons"])).toEqual([
      { name: "ops", key: "abcdefgh1" },
      { name: "key-2", key: "plainkey-000002" },
      { name: "alice", key: "k:with:colons" },
    ]);
  });

  it("API_KEYS refuses two keys of one name and keys under 8 characters, naming the variable", () => {
    const base = { DATABASE_URL: "postgres://x@localhost/x", BLAND_WEBHOOK_SECRET: "secret-123" };
    expect(apiConfigSchema.safeParse({ ...base, API_KEYS: "ops:aaaaaaaa1,ops:bbbbbbbb2" }).success).toBe(
      false,
    );
    expect(apiConfigSchema.safeParse({ ...base, API_KEYS: "ops:short" }).success).toBe(false);
    const ok = apiConfigSchema.parse({ ...base, API_KEYS: "ops:aaaaaaaa1, legacy-key-0001" });
    expect(ok.API_KEYS.map((k) => k.name)).toEqual(["ops", "key-2"]);
  });
});

describe("GET /v1/leads", () => {
  let ann: { id: number }, bob: { id: number }, cy: { id: number };
  beforeAll(async () => {
    api.setNow("2026-03-10T15:00:00Z");
    ann = await addLead({
      phone: "(212) 555-0301",
      first_name: "Ann",
      last_name: "Lee",
      convoso_lead_id: "C-9001",
    });
    bob = await addLead({
      phone: "212-555-0302",
      first_name: "Bob",
      last_name: "Leeds",
      state: "CA",
      zip: "94103",
    });
    cy = await addLead({ phone: "2125550303", first_name: "Cy", last_name: "Young" });
    await request("POST", `/v1/leads/${cy.id}/pause`);
  });

  it("finds a lead by its phone written another way (+1 212.555.0301)", async () => {
    const response = await request("GET", `/v1/leads?phone=${encodeURIComponent("+1 212.555.0301")}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().leads.map((l: { id: number }) => l.id)).toEqual([ann.id]);
  });

  it("an invalid phone is refused with what to send", async () => {
    const response = await request("GET", "/v1/leads?phone=12345");
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe("invalid_phone");
  });

  it("q finds a Convoso id exactly, a name by its beginning, and first + last name", async () => {
    const ids = async (q: string) =>
      (await request("GET", `/v1/leads?q=${encodeURIComponent(q)}`))
        .json()
        .leads.map((l: { id: number }) => l.id);
    expect(await ids("C-9001")).toEqual([ann.id]);
    expect(await ids("lee")).toEqual([bob.id, ann.id]);
    expect(await ids("ann lee")).toEqual([ann.id]);
    expect(await ids("%")).toEqual([]);
  });

  it("filters by status, state and waiting reason; pages with next_cursor", async () => {
    const list = async (query: string) => (await request("GET", `/v1/leads?${query}`)).json();
    expect((await list("status=paused")).leads.map((l: { id: number }) => l.id)).toEqual([cy.id]);
    expect((await list("state=ca")).leads.map((l: { id: number }) => l.id)).toEqual([bob.id]);
    expect((await list("waiting=paused by hand")).leads.map((l: { id: number }) => l.id)).toEqual([cy.id]);
    const first = await list("limit=2");
    expect(first.leads.map((l: { id: number }) => l.id)).toEqual([cy.id, bob.id]);
    const second = await list(`limit=2&cursor=${first.next_cursor}`);
    expect(second.leads.map((l: { id: number }) => l.id)).toContain(ann.id);
    expect((await request("GET", "/v1/leads?cursor=garbage")).statusCode).toBe(400);
    expect((await request("GET", "/v1/leads?status=sleeping")).statusCode).toBe(400);
  });
});

describe("changes by hand are recorded with the key's name", () => {
  it("pause by ops, resume by alice: the lead's page lists both, newest first", async () => {
    const lead = await addLead({ phone: "(212) 555-0311" });
    expect((await request("POST", `/v1/leads/${lead.id}/pause`, OPS)).statusCode).toBe(200);
    expect((await request("POST", `/v1/leads/${lead.id}/resume`, ALICE)).statusCode).toBe(200);
    const page = (await request("GET", `/v1/leads/${lead.id}`)).json();
    expect(page.changes_by_hand.map((c: { actor: string; action: string }) => [c.actor, c.action])).toEqual([
      ["alice", "lead.resume"],
      ["ops", "lead.pause"],
    ]);
    const audit = (await request("GET", `/v1/admin/audit?lead_id=${lead.id}`)).json();
    expect(audit.entries[0]).toMatchObject({
      actor: "alice",
      action: "lead.resume",
      subject: "+12125550311",
    });
  });

  it("a scheduler config edit is recorded with who made it", async () => {
    const current = (await request("GET", "/v1/admin/scheduler-config")).json();
    const response = await request("PUT", "/v1/admin/scheduler-config", ALICE, current);
    expect(response.statusCode, response.body).toBe(200);
    const audit = (await request("GET", "/v1/admin/audit")).json();
    expect(audit.entries[0]).toMatchObject({ actor: "alice", action: "scheduler_config.update" });
  });
});

describe("the DNC list", () => {
  it("DELETE /v1/dnc/:phone needs a reason, answers 404 for a phone not listed, and removes it (audited)", async () => {
    const lead = await addLead({ phone: "(212) 555-0321" });
    await request("POST", "/v1/dnc", OPS, { phone: "212-555-0321", reason: "asked on the phone" });
    expect((await request("DELETE", "/v1/dnc/2125550321", ALICE, {})).statusCode).toBe(400);
    expect((await request("DELETE", "/v1/dnc/2125550399", ALICE, { reason: "x" })).statusCode).toBe(404);

    const listed = (await request("GET", "/v1/dnc?phone=(212)%20555-0321")).json();
    expect(listed.entries).toMatchObject([
      { phone: "+12125550321", reason: "asked on the phone", source: "api" },
    ]);

    const removed = await request("DELETE", "/v1/dnc/(212)%20555-0321", ALICE, {
      reason: "wrong number entered",
    });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toMatchObject({
      phone: "+12125550321",
      reopened: false,
      lead: { id: lead.id, status: "completed", final_outcome: "DNC" },
    });
    expect((await request("GET", "/v1/dnc?phone=2125550321")).json().entries).toEqual([]);
    const audit = (await request("GET", `/v1/admin/audit?lead_id=${lead.id}`)).json();
    expect(audit.entries.map((e: { actor: string; action: string }) => [e.actor, e.action])).toEqual([
      ["alice", "dnc.remove"],
      ["ops", "dnc.add"],
    ]);
    expect(audit.entries[0].details).toMatchObject({
      reason: "wrong number entered",
      listed_reason: "asked on the phone",
    });
  });

  it("reopen_lead: the DNC-completed lead is active again with its dial job", async () => {
    const lead = await addLead({ phone: "(212) 555-0322" });
    await request("POST", "/v1/dnc", OPS, { phone: "2125550322", reason: "test" });
    expect(await queuedJobs(lead.id)).toBe(0);
    const response = await request("DELETE", "/v1/dnc/2125550322", OPS, {
      reason: "typo",
      reopen_lead: true,
    });
    expect(response.json()).toMatchObject({
      reopened: true,
      lead: { status: "active", final_outcome: null },
    });
    expect(await queuedJobs(lead.id)).toBe(1);
  });

  it("GET /v1/dnc pages newest first", async () => {
    for (const phone of ["2125550331", "2125550332", "2125550333"])
      await request("POST", "/v1/dnc", OPS, { phone, reason: "page test" });
    const first = (await request("GET", "/v1/dnc?limit=2")).json();
    expect(first.entries).toHaveLength(2);
    const second = (await request("GET", `/v1/dnc?limit=2&cursor=${first.next_cursor}`)).json();
    const phones = [...first.entries, ...second.entries].map((e: { phone: string }) => e.phone);
    expect(new Set(phones).size).toBe(phones.length);
    expect(phones).toEqual(expect.arrayContaining(["+12125550331", "+12125550332", "+12125550333"]));
  });
});

describe("GET /v1/calls", () => {
  it("lists the latest dials first with the lead's phone, outcome and cost; open=true keeps calls in flight", async () => {
    const lead = await addLead({ phone: "(212) 555-0341" });
    const db = api.runtime.ctx.db;
    const insert = (n: number, at: string, state: "ended" | "dialing", outcome: string | null) =>
      sql`INSERT INTO call_attempts (lead_id, attempt_number, campaign_day, dialed_at, state, outcome, price, duration_seconds, bland_call_id)
          VALUES (${lead.id}, ${n}, '2026-03-10', ${at}, ${state}, ${outcome}, ${state === "ended" ? 0.12 : null}, ${state === "ended" ? 31 : null}, ${`call-${lead.id}-${n}`})`.execute(
        db,
      );
    await insert(1, "2026-03-10T15:00:00Z", "ended", "VOICEMAIL");
    await insert(2, "2026-03-10T15:05:00Z", "dialing", null);
    const calls = (await request("GET", `/v1/calls?lead_id=${lead.id}`)).json().calls;
    expect(calls.map((c: { attempt_number: number }) => c.attempt_number)).toEqual([2, 1]);
    expect(calls[1]).toMatchObject({
      phone: "+12125550341",
      outcome: "VOICEMAIL",
      price: 0.12,
      duration_seconds: 31,
    });
    const open = (await request("GET", `/v1/calls?lead_id=${lead.id}&open=true`)).json().calls;
    expect(open.map((c: { state: string }) => c.state)).toEqual(["dialing"]);
  });
});

describe("fleet pause and resume", () => {
  it("pause by hand is recorded and shown; resume lifts it", async () => {
    const paused = await request("POST", "/v1/admin/pause?wait_seconds=0", OPS, { note: "carrier outage" });
    expect(paused.statusCode, paused.body).toBe(200);
    expect(paused.json()).toMatchObject({
      paused: true,
      reason: "manual",
      note: "carrier outage",
      changed_by: "ops",
    });
    expect((await request("GET", "/v1/admin/fleet")).json().paused).toBe(true);
    const resumed = (await request("POST", "/v1/admin/resume?wait_seconds=0", ALICE)).json();
    expect(resumed).toMatchObject({ paused: false, reason: null, changed_by: "alice" });
    const audit = (await request("GET", "/v1/admin/audit")).json();
    expect(
      audit.entries.slice(0, 2).map((e: { actor: string; action: string }) => [e.actor, e.action]),
    ).toEqual([
      ["alice", "fleet.resume"],
      ["ops", "fleet.pause"],
    ]);
  });
});

describe("the OpenAPI document", () => {
  it("describes the operator routes with their parameters, and not the console's pages", async () => {
    const doc = (await api.app.inject({ method: "GET", url: "/docs/json" })).json();
    const leads = doc.paths["/v1/leads"].get;
    expect(leads.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["status", "state", "outcome", "waiting", "phone", "q", "cursor", "limit"]),
    );
    expect(doc.paths["/v1/dnc/{phone}"].delete.requestBody).toBeDefined();
    for (const path of [
      "/v1/calls",
      "/v1/dnc",
      "/v1/admin/pause",
      "/v1/admin/resume",
      "/v1/admin/audit",
      "/metrics",
    ])
      expect(doc.paths[path], path).toBeDefined();
    expect(Object.keys(doc.paths).filter((path) => path.startsWith("/dashboard"))).toEqual([]);
  });
});
