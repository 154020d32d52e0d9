import { signWebhook } from "@redial/bland";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { type ApiHarness, startApi, WEBHOOK_SECRET } from "./api-harness.ts";

let api: ApiHarness | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** A lead with one call in progress at Bland, then that call's signed webhook (VOICEMAIL). */
async function voicemailWebhook(harness: ApiHarness) {
  const db = harness.database.db;
  const lead = await db
    .insertInto("leads")
    .values({ phone: "+13055550142", state: "FL", zip: "33130", timezones: ["America/New_York"] })
    .returning("id")
    .executeTakeFirstOrThrow();
  const attempt = await db
    .insertInto("call_attempts")
    .values({
      lead_id: lead.id,
      attempt_number: 1,
      campaign_day: "2026-11-27",
      dialed_at: new Date(Date.now() - 60_000),
      state: "in_progress",
      bland_call_id: "call-sync-1",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const body = JSON.stringify({
    call_id: "call-sync-1",
    completed: true,
    status: "completed",
    answered_by: "voicemail",
    call_length: 0.4,
    metadata: { lead_id: lead.id, attempt_id: attempt.id },
  });
  const response = await harness.app.inject({
    method: "POST",
    url: "/v1/webhooks/bland",
    headers: { "content-type": "application/json", "x-webhook-signature": signWebhook(body, WEBHOOK_SECRET) },
    payload: body,
  });
  expect(response.json()).toMatchObject({ result: "processed" });
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'convoso-sync'`.execute(db);
  return rows[0]?.n;
}

describe("CONVOSO_SYNC_ENABLED on the API (it records webhook outcomes)", () => {
  it("true: the outcome is queued for Convoso in the result's transaction", async () => {
    api = await startApi({ syncToConvoso: true });
    expect(await voicemailWebhook(api)).toBe(1);
  });

  it("false: nothing is queued (no worker would take it; the job table would keep it for weeks)", async () => {
    api = await startApi({ syncToConvoso: false });
    expect(await voicemailWebhook(api)).toBe(0);
  });
});
