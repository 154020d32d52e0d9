import { consentHistory } from "@redial/db";
import { parseConvosoConsentFields } from "@redial/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY, type ApiHarness, CONVOSO_TOKEN, startApi } from "./api-harness.ts";

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi({
    syncToConvoso: false,
    consentRequired: "written",
    app: {
      convosoConsentFields: parseConvosoConsentFields(
        "type=written,captured_at=field_2,certificate_id=field_5",
      ),
    },
  });
  // Tuesday 2026-03-10 11:05 EDT: inside the default campaign window.
  api.setNow("2026-03-10T15:05:00Z");
});
afterAll(async () => api.close());

const headers = { "x-api-key": API_KEY };
const post = (url: string, payload: unknown, extra: Record<string, string> = headers) =>
  api.app.inject({ method: "POST", url, headers: extra, payload: payload as object });

const CONSENT = {
  type: "written",
  captured_at: "2026-03-01T09:00:00-05:00",
  source: "https://example.com/quote",
  ip: "198.51.100.4",
  text_version: "tcpa-v7",
  certificate_id: "https://cert.trustedform.com/f00d",
};
const NOW = "2026-03-10T15:05:00.000Z";

describe("the consent object through intake (CONSENT_REQUIRED=written)", () => {
  it("POST /v1/leads with a consent: recorded in the history by the route and its key, the lead due now", async () => {
    const response = await post("/v1/leads", {
      phone: "305-555-0601",
      state: "FL",
      zip: "33130",
      consent: CONSENT,
    });
    expect(response.statusCode).toBe(201);
    const lead = response.json();
    expect(lead).toMatchObject({
      next_attempt_at: NOW,
      waiting_reason: null,
      consent: {
        type: "written",
        captured_at: "2026-03-01T14:00:00.000Z",
        certificate_id: CONSENT.certificate_id,
      },
      warnings: [],
    });
    const [entry] = await consentHistory(api.runtime.ctx.db, lead.id);
    expect(entry).toMatchObject({
      kind: "grant",
      ip: CONSENT.ip,
      textVersion: "tcpa-v7",
      recordedBy: expect.stringMatching(/^POST \/v1\/leads \(/),
    });
  });

  it("without one the lead waits; sent again with one it is due at once; sent a third time nothing is added", async () => {
    const first = (await post("/v1/leads", { phone: "305-555-0602", state: "FL" })).json();
    expect(first.waiting_reason).toMatch(/^no_consent: no written consent on record/);
    const again = await post("/v1/leads", { phone: "305-555-0602", consent: CONSENT });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.id, next_attempt_at: NOW, waiting_reason: null });
    await post("/v1/leads", { phone: "305-555-0602", consent: CONSENT });
    expect(await consentHistory(api.runtime.ctx.db, first.id)).toHaveLength(1);
  });

  it("a consent that cannot be read is not recorded, with a warning naming its field: the lead is admitted and waits", async () => {
    const response = await post("/v1/leads", {
      phone: "305-555-0603",
      consent: { type: "written", captured_at: "last Tuesday" },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      consent: null,
      waiting_reason: expect.stringMatching(/^no_consent/),
      warnings: [
        {
          field: "consent.captured_at",
          message: expect.stringMatching(/ISO 8601.*The consent was not recorded: the lead waits for one\.$/),
        },
      ],
    });
  });

  it("bulk: each row's consent recorded with the bulk route as its recorder", async () => {
    const response = await post("/v1/leads/bulk", [
      { phone: "305-555-0611", consent: CONSENT },
      { phone: "305-555-0612" },
    ]);
    const rows = response.json().results;
    expect(rows.map((r: { lead: { waiting_reason: string | null } }) => r.lead.waiting_reason)).toEqual([
      null,
      expect.stringMatching(/^no_consent/),
    ]);
    const [entry] = await consentHistory(api.runtime.ctx.db, rows[0].lead.id);
    expect(entry?.recordedBy).toMatch(/^POST \/v1\/leads\/bulk \(/);
  });

  it("Convoso's lead push: CONVOSO_CONSENT_FIELDS maps its fields (a time without offset in the campaign zone)", async () => {
    const token = { "x-webhook-token": CONVOSO_TOKEN };
    const pushed = await post(
      "/v1/webhooks/convoso/lead",
      { phone_number: "3055550621", lead_id: "9001", field_2: "2026-03-01 09:00:00", field_5: "jornaya-ABC" },
      token,
    );
    expect(pushed.statusCode).toBe(201);
    expect(pushed.json()).toMatchObject({ next_attempt_at: NOW, warnings: [] });
    expect(await consentHistory(api.runtime.ctx.db, pushed.json().id)).toMatchObject([
      {
        kind: "grant",
        type: "written",
        capturedAt: new Date("2026-03-01T14:00:00Z"),
        certificateId: "jornaya-ABC",
        recordedBy: "convoso lead webhook",
      },
    ]);
    const unreadable = await post(
      "/v1/webhooks/convoso/lead",
      { phone_number: "3055550622", field_2: "01/03/2026" },
      token,
    );
    expect(unreadable.statusCode).toBe(201);
    expect(unreadable.json()).toMatchObject({
      next_attempt_at: expect.not.stringMatching(NOW),
      warnings: [{ field: "field_2 (consent.captured_at)" }],
    });
    const without = (await post("/v1/webhooks/convoso/lead", { phone_number: "3055550623" }, token)).json();
    expect(without.warnings).toEqual([]);
    expect(await consentHistory(api.runtime.ctx.db, without.id)).toEqual([]);
  });
});
