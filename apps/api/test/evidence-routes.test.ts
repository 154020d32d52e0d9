import { consentHistory, listAttempts, listEvidence } from "@redial/db";
import { type DialDependencies, dialLead, ensureDialSlots, receiveBlandWebhook } from "@redial/services";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY, type ApiHarness, startApi } from "./api-harness.ts";

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi({ syncToConvoso: false, consentRequired: "written" });
  await ensureDialSlots(api.runtime.ctx.db, 5);
  // Tuesday 2026-03-10 11:05 EDT.
  api.setNow("2026-03-10T15:05:00Z");
});
afterAll(async () => api.close());

const headers = { "x-api-key": API_KEY };
const post = (url: string, payload: unknown) =>
  api.app.inject({ method: "POST", url, headers, payload: payload as object });
const get = (url: string) => api.app.inject({ method: "GET", url, headers });

const deps: DialDependencies = {
  dialer: {
    place: async ({ attemptId }) => ({ callId: `api-${attemptId}` }),
    findPlacedCall: async () => undefined,
    getCall: async () => undefined,
    classify: (error) => ({ kind: "ambiguous", message: String(error) }),
  },
  limits: { maxConcurrent: 5, maxPerHour: null, maxPerDay: null },
};

const CONSENT = {
  type: "written",
  captured_at: "2026-03-01T09:00:00-05:00",
  source: "https://example.com/quote",
  ip: "198.51.100.4",
  text_version: "tcpa-v7",
  certificate_id: "https://cert.trustedform.com/f00d",
};

describe("POST /v1/leads/:id/consent", () => {
  it("refuses a consent without its capture time, naming the field; records a valid one and makes the lead due", async () => {
    const lead = (await post("/v1/leads", { phone: "305-555-0701", state: "FL", zip: "33130" })).json();
    expect(lead.waiting_reason).toMatch(/^no_consent: no written consent on record/);
    expect(lead.consent).toBeNull();

    const refused = await post(`/v1/leads/${lead.id}/consent`, { type: "written" });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: "invalid_input" });
    expect(refused.json().error.message).toMatch(/^consent\.captured_at: required for written consent/);
    const untimed = await post(`/v1/leads/${lead.id}/consent`, {
      ...CONSENT,
      captured_at: "2026-03-01 09:00",
    });
    expect(untimed.json().error.message).toMatch(
      /^consent\.captured_at: an ISO 8601 time with its UTC offset/,
    );
    const unknownType = await post(`/v1/leads/${lead.id}/consent`, { ...CONSENT, type: "verbal" });
    expect(unknownType.json().error.message).toMatch(/^consent\.type: one of written, express, none/);

    const recorded = await post(`/v1/leads/${lead.id}/consent`, CONSENT);
    expect(recorded.statusCode).toBe(200);
    expect(recorded.json()).toMatchObject({
      waiting_reason: null,
      next_attempt_at: "2026-03-10T15:05:00.000Z",
      consent: {
        type: "written",
        captured_at: "2026-03-01T14:00:00.000Z",
        certificate_id: CONSENT.certificate_id,
      },
    });
  });

  it("answers 404 for a lead that does not exist", async () => {
    expect((await post("/v1/leads/999999/consent", CONSENT)).statusCode).toBe(404);
  });
});

describe("GET /v1/leads/:id/evidence", () => {
  it("the export round-trips: JSON and CSV parse back equal to the stored consent history and evidence", async () => {
    const lead = (await post("/v1/leads", { phone: "305-555-0702", state: "FL", zip: "33130" })).json();
    await post(`/v1/leads/${lead.id}/consent`, CONSENT);
    expect(await dialLead(api.runtime.ctx, deps, lead.id)).toBe("placed");
    const [attempt] = await listAttempts(api.runtime.ctx.db, lead.id);
    await receiveBlandWebhook(api.runtime.ctx, {
      call_id: `api-${attempt?.id}`,
      completed: true,
      status: "completed",
      answered_by: "human",
      call_length: 1,
      concatenated_transcript: "assistant: Hi, this is Ava.\n user: Stop calling me, please.",
      metadata: { attempt_id: attempt?.id },
    });

    const response = await get(`/v1/leads/${lead.id}/evidence`);
    expect(response.statusCode).toBe(200);
    const record = JSON.parse(response.body);
    const stored = await listEvidence(api.runtime.ctx.db, lead.id);
    const history = await consentHistory(api.runtime.ctx.db, lead.id);
    expect(record.calls.map((call: { evidence: unknown }) => call.evidence)).toEqual(
      stored.map((s) => s.evidence),
    );
    expect(record.consent.history).toEqual(
      history.map((entry) =>
        entry.kind === "grant"
          ? {
              kind: "grant",
              id: entry.id,
              type: entry.type,
              captured_at: entry.capturedAt?.toISOString() ?? null,
              source: entry.source,
              ip: entry.ip,
              text_version: entry.textVersion,
              certificate_id: entry.certificateId,
              recorded_at: entry.recordedAt.toISOString(),
              recorded_by: entry.recordedBy,
            }
          : {
              kind: "revocation",
              id: entry.id,
              revoked_at: entry.revokedAt.toISOString(),
              reason: entry.reason,
              recorded_at: entry.recordedAt.toISOString(),
              recorded_by: entry.recordedBy,
            },
      ),
    );
    expect(record).toMatchObject({
      format: "redial-evidence-record/1",
      phone: "+13055550702",
      on_dnc_list: true,
      lead: { id: lead.id, status: "completed", final_outcome: "DNC" },
      consent: { required_now: "written", current: null },
      calls: [
        { attempt_id: attempt?.id, outcome: "DNC", outcome_reason: expect.any(String), state: "ended" },
      ],
      opt_outs: [{ reason: "opt-out during call", recorded_by: "dnc list: call", calls_after: 0 }],
      changes_by_hand: [
        {
          action: "lead.consent",
          actor: expect.any(String),
          details: { type: "written", captured_at: "2026-03-01T14:00:00.000Z" },
        },
      ],
    });
    expect(record.consent.history[0].recorded_by).toMatch(/^POST \/v1\/leads\/:id\/consent \(/);

    const csv = await get(`/v1/leads/${lead.id}/evidence?format=csv`);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    const rows = parse(csv.body, { columns: true }) as Record<string, string>[];
    // A row per event, in time order (the test's clock is March; the database stamps the DNC and the audit now).
    expect(rows.map((row) => row.record).sort()).toEqual([
      "call",
      "change_by_hand",
      "consent_grant",
      "consent_revocation",
      "opt_out",
    ]);
    expect(rows.map((row) => row.at)).toEqual(rows.map((row) => row.at).sort());
    const call = rows.find((row) => row.record === "call");
    expect(JSON.parse(call?.evidence_json ?? "null")).toEqual(stored[0]?.evidence);
    expect(call).toMatchObject({
      phone: "+13055550702",
      attempt_id: String(attempt?.id),
      outcome: "DNC",
      rolling_caps: "FL 0/3 in 24 h",
      consent_relied_on: `#${history[0]?.id} written captured 2026-03-01T14:00:00.000Z (required: written)`,
      decision: stored[0]?.evidence.decision.text,
    });
    expect(rows.find((row) => row.record === "consent_grant")).toMatchObject({
      consent_type: "written",
      captured_at: "2026-03-01T14:00:00.000Z",
      certificate_id: CONSENT.certificate_id,
      ip: CONSENT.ip,
    });
  });

  it("answers 404 for a lead that does not exist and 400 for a bad day", async () => {
    expect((await get("/v1/leads/999999/evidence")).statusCode).toBe(404);
    expect((await get("/v1/leads/1/evidence?from=yesterday")).json().error.code).toBe("invalid_input");
  });
});
