import { consentHistory, listEvidence } from "@redial/db";
import type { TestDatabase } from "@redial/db/testing";
import type { BlandCall, Consent, DialEvidence } from "@redial/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addDnc,
  applyConvosoStatus,
  type DialDependencies,
  dialLead,
  ensureDialSlots,
  evidenceRecordByPhone,
  intakeLead,
  type RedialContext,
  type Runtime,
  receiveBlandWebhook,
  recordLeadConsent,
  stopLead,
} from "../src/index.ts";
import { startTestRuntime } from "../src/testing/test-runtime.ts";

/**
 * CONSENT_REQUIRED=written through the services: a lead without consent waits (a day, not a poll)
 * and is due at once when its consent is recorded; each dial stores its evidence, the same on the
 * one-statement and the locked path; every opt-out path revokes the consent.
 */

let database: TestDatabase;
let runtime: Runtime;
beforeAll(async () => {
  ({ database, runtime } = await startTestRuntime({ syncToConvoso: false, consentRequired: "written" }));
  await ensureDialSlots(runtime.ctx.db, 5);
});
afterAll(async () => {
  await runtime.stop();
  await database.drop();
});

const deps = (): DialDependencies => ({
  dialer: {
    place: async ({ attemptId }) => ({ callId: `ev-${attemptId}` }),
    findPlacedCall: async () => undefined,
    getCall: async () => undefined,
    classify: (error) => ({ kind: "ambiguous", message: String(error) }),
  },
  limits: { maxConcurrent: 5, maxPerHour: null, maxPerDay: null },
});

// Wednesday 2026-12-02, 12:00 Eastern.
const T0 = Date.parse("2026-12-02T17:00:00Z");
const clock = (minutes: number) => () => new Date(T0 + minutes * 60_000);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const locked = (minutes: number): RedialContext => ({
  ...runtime.ctx,
  optimisticWrites: false,
  now: clock(minutes),
});
const oneStatement = (minutes: number): RedialContext => ({
  ...runtime.ctx,
  optimisticWrites: true,
  now: clock(minutes),
});

const WRITTEN: Consent = {
  type: "written",
  capturedAt: new Date("2026-11-30T15:00:00Z"),
  source: "https://example.com/quote",
  ip: "203.0.113.9",
  textVersion: "tcpa-v7",
  certificateId: "https://cert.trustedform.com/abc123",
};

const ended = (attemptId: number, extra: Partial<BlandCall> = {}): BlandCall => ({
  call_id: `ev-${attemptId}`,
  completed: true,
  status: "completed",
  answered_by: "voicemail",
  call_length: 0.5,
  metadata: { attempt_id: attemptId },
  ...extra,
});

async function attempts(leadId: number) {
  return runtime.ctx.db
    .selectFrom("call_attempts")
    .select(["id", "state"])
    .where("lead_id", "=", leadId)
    .orderBy("id")
    .execute();
}

async function openAttempt(leadId: number): Promise<number> {
  const open = (await attempts(leadId)).find((a) => a.state === "dialing" || a.state === "in_progress");
  if (!open) throw new Error(`lead ${leadId} has no open call`);
  return Number(open.id);
}

/** As a worker holds it: the lead's queued job is the one running the dial. */
async function takeDialJob(leadId: number): Promise<void> {
  await sql`UPDATE pgboss.job SET state = 'completed', completed_on = now()
            WHERE name = 'dial' AND singleton_key = ${String(leadId)} AND state < 'active'`.execute(
    runtime.ctx.db,
  );
}

async function lead(id: number) {
  return runtime.ctx.db.selectFrom("leads").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

describe("a lead without the consent CONSENT_REQUIRED asks for", () => {
  it("is never dialed: it waits a day saying 'no written consent on record', and a recorded consent makes it due at once", async () => {
    const { lead: admitted } = await intakeLead(locked(0), {
      phone: "3055550801",
      state: "FL",
      zip: "33130",
    });
    expect(admitted.waitingReason).toMatch(/^no_consent: no written consent on record/);
    expect(admitted.nextAttemptAt).toEqual(at(24 * 60));
    expect(await dialLead(oneStatement(0), deps(), admitted.id)).toBe("not_due");
    expect(await dialLead(locked(5), deps(), admitted.id)).toBe("not_due");
    expect(await attempts(admitted.id)).toEqual([]);

    const consented = await recordLeadConsent(locked(10), admitted.id, WRITTEN, "test");
    expect(consented.nextAttemptAt).toEqual(at(10));
    expect(consented.waitingReason).toBeNull();
    expect(await dialLead(oneStatement(10), deps(), admitted.id)).toBe("placed");
    const [stored] = await listEvidence(runtime.ctx.db, admitted.id);
    expect(stored?.evidence.consent).toMatchObject({
      required: "written",
      relied_on: { id: consented.consent?.id, type: "written", certificate_id: WRITTEN.certificateId },
    });
  });

  it("with only express consent it still waits, saying what is on record", async () => {
    const { lead: admitted } = await intakeLead(locked(0), {
      phone: "3055550802",
      state: "FL",
      zip: "33130",
    });
    const after = await recordLeadConsent(locked(1), admitted.id, { ...WRITTEN, type: "express" }, "test");
    expect(after.waitingReason).toContain("(on record: express)");
    expect(await dialLead(locked(1), deps(), admitted.id)).toBe("not_due");
  });
});

describe("the evidence of every dial", () => {
  it("is the same on the one-statement and the locked path, and a Florida lead's third call in 24 h counts the two before it", async () => {
    const twin = {
      locked: (await intakeLead(locked(0), { phone: "3055550811", state: "FL", zip: "33130" })).lead.id,
      fast: (await intakeLead(locked(0), { phone: "3055550812", state: "FL", zip: "33130" })).lead.id,
    };
    const ctxOf = { locked, fast: oneStatement };
    for (const path of ["locked", "fast"] as const)
      await recordLeadConsent(locked(0), twin[path], WRITTEN, "test");
    let minute = 0;
    for (let round = 0; round < 3; round++) {
      for (const path of ["locked", "fast"] as const) {
        if (round > 0) await takeDialJob(twin[path]);
        expect(await dialLead(ctxOf[path](minute), deps(), twin[path])).toBe("placed");
        await receiveBlandWebhook(ctxOf[path](minute + 1), ended(await openAttempt(twin[path])));
      }
      const due = (await lead(twin.fast)).next_attempt_at;
      if (!due) throw new Error("no next attempt");
      minute = (due.getTime() - T0) / 60_000;
    }
    const stored = {
      locked: await listEvidence(runtime.ctx.db, twin.locked),
      fast: await listEvidence(runtime.ctx.db, twin.fast),
    };
    expect(stored.fast).toHaveLength(3);
    const comparable = (e: DialEvidence) => ({
      ...e,
      lead: { ...e.lead, phone: "" },
      consent: { ...e.consent, relied_on: { ...e.consent.relied_on, id: 0, recorded_at: "" } },
      decision: { ...e.decision, text: e.decision.text.replace(/consent #\d+/, "consent #") },
    });
    expect(stored.fast.map((s) => comparable(s.evidence))).toEqual(
      stored.locked.map((s) => comparable(s.evidence)),
    );
    expect(stored.fast.map((s) => s.evidence.caps.rolling)).toMatchObject([
      [{ state: "FL", calls_before: 0, limit: 3, hours: 24 }],
      [{ state: "FL", calls_before: 1, limit: 3, hours: 24 }],
      [{ state: "FL", calls_before: 2, limit: 3, hours: 24 }],
    ]);
    expect(stored.fast[2]?.evidence.decision.text).toContain("FL: call 3 of 3 in 24 h");
    // One evidence row per dial, each with its own attempt.
    expect(stored.fast.map((s) => s.attemptId)).toEqual((await attempts(twin.fast)).map((a) => Number(a.id)));
  });
});

describe("the DNC checks in the evidence", () => {
  it("name our list and Convoso's pre-dial check: its answer, or its failure and that the dial went ahead", async () => {
    const answered = (await intakeLead(locked(0), { phone: "3055550841", state: "FL", zip: "33130" })).lead
      .id;
    const failed = (await intakeLead(locked(0), { phone: "3055550842", state: "FL", zip: "33130" })).lead.id;
    for (const id of [answered, failed]) await recordLeadConsent(locked(0), id, WRITTEN, "test");
    const checked = (preDialCheck: DialDependencies["preDialCheck"]) => ({ ...deps(), preDialCheck });
    expect(
      await dialLead(
        locked(0),
        checked(async () => "other"),
        answered,
      ),
    ).toBe("placed");
    expect(
      await dialLead(
        locked(0),
        checked(async () => {
          throw new Error("HTTP 503");
        }),
        failed,
      ),
    ).toBe("placed");
    const checks = async (id: number) => (await listEvidence(runtime.ctx.db, id))[0]?.evidence.dnc_checks;
    expect(await checks(answered)).toEqual([
      { list: "internal", checked_at: at(0).toISOString(), listed: false, detail: "not on our DNC list" },
      {
        list: "convoso",
        checked_at: at(0).toISOString(),
        listed: false,
        detail: "pre-dial check: Convoso status other",
      },
    ]);
    expect((await checks(failed))?.[1]).toEqual({
      list: "convoso",
      checked_at: at(0).toISOString(),
      listed: null,
      detail: "pre-dial check failed (HTTP 503): dialed on our own DNC list",
    });
  });
});

describe("every opt-out path revokes the consent", () => {
  async function consentedLead(phone: string): Promise<number> {
    const { lead: admitted } = await intakeLead(locked(0), { phone, state: "FL", zip: "33130" });
    await recordLeadConsent(locked(0), admitted.id, WRITTEN, "test");
    return admitted.id;
  }
  const lastEntry = async (id: number) => (await consentHistory(runtime.ctx.db, id)).at(-1);

  it("a spoken opt-out: the lead is completed DNC, its consent revoked in the history, and it is never dialed again", async () => {
    const id = await consentedLead("3055550821");
    expect(await dialLead(locked(0), deps(), id)).toBe("placed");
    const attemptId = await openAttempt(id);
    const spoken = ended(attemptId, {
      answered_by: "human",
      call_length: 1,
      concatenated_transcript: "assistant: Hi, this is Ava from Acme.\n user: Please stop calling me.",
    } as Partial<BlandCall>);
    expect(await receiveBlandWebhook(locked(2), spoken)).toMatchObject({ outcome: "DNC" });
    expect(await lead(id)).toMatchObject({ status: "completed", final_outcome: "DNC", consent: null });
    expect(await lastEntry(id)).toMatchObject({
      kind: "revocation",
      reason: "opt-out during call",
      recordedBy: "dnc list: call",
    });
    // A consent recorded afterwards changes nothing: the lead stays completed, the phone on the list.
    await recordLeadConsent(locked(3), id, { ...WRITTEN, capturedAt: at(3) }, "test");
    expect(await dialLead(locked(4), deps(), id)).toBe("lead_not_dialable");

    const record = await evidenceRecordByPhone(locked(5), "(305) 555-0821");
    expect(record.opt_outs).toMatchObject([{ reason: "opt-out during call", calls_after: 0 }]);
    expect(record.calls).toMatchObject([
      { attempt_id: attemptId, outcome: "DNC", outcome_reason: expect.stringMatching(/^transcript/) },
    ]);
    expect(record.calls[0]?.evidence).toEqual((await listEvidence(runtime.ctx.db, id))[0]?.evidence);
  });

  it("POST /v1/dnc, a DNC by hand and a Convoso DNC status each leave a revocation with their source", async () => {
    const viaApi = await consentedLead("3055550831");
    await addDnc(locked(1), "3055550831", "asked by email");
    expect(await lastEntry(viaApi)).toMatchObject({
      kind: "revocation",
      reason: "asked by email",
      recordedBy: "dnc list: api",
    });

    const byHand = await consentedLead("3055550832");
    await stopLead(locked(1), byHand, "DNC", "closer: do not call");
    expect(await lastEntry(byHand)).toMatchObject({
      kind: "revocation",
      reason: "closer: do not call",
      recordedBy: "dnc list: manual",
    });

    const inConvoso = await consentedLead("3055550833");
    await applyConvosoStatus(locked(1), { phone: "3055550833", status: "DNC" });
    expect(await lastEntry(inConvoso)).toMatchObject({
      kind: "revocation",
      reason: expect.stringMatching(/^Convoso status DNC/),
      recordedBy: "dnc list: manual",
    });
    for (const id of [viaApi, byHand, inConvoso]) expect((await lead(id)).consent).toBeNull();
  });
});
