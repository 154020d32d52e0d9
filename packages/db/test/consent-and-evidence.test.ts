import type { DialEvidence } from "@redial/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addToDncList,
  consentHistory,
  type DialWrite,
  findLead,
  LEAD_LOCKED,
  listEvidence,
  readLead,
  recordConsent,
  unchangedSince,
  writeDial,
} from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/test-database.ts";

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => test.drop());

const at = (iso: string) => new Date(iso);

async function newLead(phone: string): Promise<number> {
  const row = await test.db.insertInto("leads").values({ phone }).returning("id").executeTakeFirstOrThrow();
  return row.id;
}

function consent(type: "written" | "express" | "none", capturedAt: string | null, extra: object = {}) {
  return {
    type,
    capturedAt: capturedAt === null ? null : at(capturedAt),
    source: "https://example.com/form",
    ip: "203.0.113.7",
    textVersion: "v3",
    certificateId: "jornaya-LEADID-1",
    ...extra,
  };
}

describe("a lead's consent history (migration 0016)", () => {
  it("the lead's current consent is the strongest grant, then the latest; none and undated grants grant nothing", async () => {
    const id = await newLead("+12125550901");
    expect((await findLead(test.db, id))?.consent).toBeNull();
    await recordConsent(test.db, id, consent("none", null), "POST /v1/leads");
    await recordConsent(test.db, id, consent("written", null), "POST /v1/leads");
    expect((await findLead(test.db, id))?.consent).toBeNull();
    const { id: express } = await recordConsent(
      test.db,
      id,
      consent("express", "2026-03-01T10:00:00Z"),
      "csv import",
    );
    expect((await findLead(test.db, id))?.consent).toMatchObject({ id: express, type: "express" });
    const { id: written } = await recordConsent(
      test.db,
      id,
      consent("written", "2026-02-01T10:00:00Z"),
      "api",
    );
    // An older written consent outranks a newer express one; a newer express one keeps the written.
    await recordConsent(test.db, id, consent("express", "2026-03-05T10:00:00Z"), "api");
    expect((await findLead(test.db, id))?.consent).toEqual({
      id: written,
      type: "written",
      capturedAt: at("2026-02-01T10:00:00Z"),
      source: "https://example.com/form",
      ip: "203.0.113.7",
      textVersion: "v3",
      certificateId: "jornaya-LEADID-1",
      recordedAt: expect.any(Date),
      recordedBy: "api",
    });
    expect((await consentHistory(test.db, id)).map((entry) => entry.id)).toHaveLength(5);
  });

  it("the phone going on the DNC list revokes the consent, in the history with its reason, source and time", async () => {
    const id = await newLead("+12125550902");
    await recordConsent(test.db, id, consent("written", "2026-03-01T10:00:00Z"), "api");
    await addToDncList(test.db, { phone: "+12125550902", reason: "opt-out during call", source: "call" });
    expect((await findLead(test.db, id))?.consent).toBeNull();
    const history = await consentHistory(test.db, id);
    expect(history[1]).toEqual({
      kind: "revocation",
      id: expect.any(Number),
      revokedAt: expect.any(Date),
      reason: "opt-out during call",
      recordedAt: expect.any(Date),
      recordedBy: "dnc list: call",
    });
  });

  it("a consent captured before the opt-out and sent again afterwards stays revoked; a new one after it counts", async () => {
    const id = await newLead("+12125550903");
    await recordConsent(test.db, id, consent("written", "2026-03-01T10:00:00Z"), "api");
    await addToDncList(test.db, { phone: "+12125550903", reason: "POST /v1/dnc", source: "api" });
    await recordConsent(test.db, id, consent("written", "2026-03-01T10:00:00Z"), "convoso lead webhook");
    expect((await findLead(test.db, id))?.consent).toBeNull();
    const fresh = await recordConsent(test.db, id, consent("written", "2099-01-01T00:00:00Z"), "api");
    expect((await findLead(test.db, id))?.consent?.id).toBe(fresh.id);
  });

  it("the same consent sent again adds nothing to the history", async () => {
    const id = await newLead("+12125550906");
    const first = await recordConsent(test.db, id, consent("written", "2026-03-01T10:00:00Z"), "api");
    const again = await recordConsent(test.db, id, consent("written", "2026-03-01T10:00:00Z"), "webhook");
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    const other = await recordConsent(
      test.db,
      id,
      consent("written", "2026-03-01T10:00:00Z", { ip: null }),
      "api",
    );
    expect(other.created).toBe(true);
    expect(await consentHistory(test.db, id)).toHaveLength(2);
  });

  it("many leads' consents in one statement: each lead's current consent derived as row by row, by one UPDATE of the leads that changed", async () => {
    const [a, b, c, d] = await Promise.all(
      ["+12125550911", "+12125550912", "+12125550913", "+12125550914"].map(newLead),
    );
    await recordConsent(test.db, c as number, consent("written", "2026-03-01T10:00:00Z"), "api");
    await addToDncList(test.db, { phone: "+12125550913", reason: "opt-out", source: "call" });
    const { rows: before } = await sql<{ version: string }>`
      SELECT xmin::text AS version FROM leads WHERE id = ${d}`.execute(test.db);
    // a: an older written and a newer express grant together; b: an undated written grant (nothing);
    // c: a grant captured before its opt-out (still revoked); d: a grant of type none (nothing).
    await sql`
      INSERT INTO lead_consents (lead_id, kind, type, captured_at, recorded_by)
      VALUES (${a}, 'grant', 'written', '2026-02-01T10:00:00Z', 'bulk'),
             (${a}, 'grant', 'express', '2026-03-05T10:00:00Z', 'bulk'),
             (${b}, 'grant', 'written', NULL, 'bulk'),
             (${c}, 'grant', 'written', '2026-02-15T10:00:00Z', 'bulk'),
             (${d}, 'grant', 'none', '2026-03-01T10:00:00Z', 'bulk')`.execute(test.db);
    const leadA = await findLead(test.db, a as number);
    expect(leadA?.consent).toMatchObject({ type: "written", capturedAt: at("2026-02-01T10:00:00Z") });
    expect((await findLead(test.db, b as number))?.consent).toBeNull();
    expect((await findLead(test.db, c as number))?.consent).toBeNull();
    // A lead whose consent stayed the same is not updated.
    const { rows: after } = await sql<{ version: string }>`
      SELECT xmin::text AS version FROM leads WHERE id = ${d}`.execute(test.db);
    expect(after[0]?.version).toBe(before[0]?.version);
  });

  it("is never changed or deleted: UPDATE, DELETE and TRUNCATE are refused, and the lead cannot be deleted under it", async () => {
    const id = await newLead("+12125550904");
    await recordConsent(test.db, id, consent("written", "2026-03-01T10:00:00Z"), "api");
    await expect(
      sql`UPDATE lead_consents SET type = 'none' WHERE lead_id = ${id}`.execute(test.db),
    ).rejects.toThrow(/lead_consents is append-only.*UPDATE refused/);
    await expect(sql`DELETE FROM lead_consents WHERE lead_id = ${id}`.execute(test.db)).rejects.toThrow(
      /DELETE refused/,
    );
    await expect(sql`TRUNCATE lead_consents`.execute(test.db)).rejects.toThrow(/TRUNCATE refused/);
    await expect(sql`DELETE FROM leads WHERE id = ${id}`.execute(test.db)).rejects.toThrow(/foreign key/);
  });
});

describe("a dial's evidence (migration 0016)", () => {
  const NOW = at("2026-03-10T15:05:00Z");
  const evidence = {
    format: "redial-dial-evidence/1",
    decided_at: NOW.toISOString(),
    caps: { calls_today_before: 1 },
  } as unknown as DialEvidence;
  const dial = (more: Partial<DialWrite> = {}): DialWrite => ({
    attemptsTotal: 1,
    campaignDay: "2026-03-10",
    dialedAt: NOW,
    schedule: {
      status: "active",
      nextAttemptAt: at("2026-03-10T15:37:00Z"),
      waitingReason: "call_in_progress",
    },
    limits: { maxConcurrent: 5, maxPerHour: null, maxPerDay: null },
    dayStart: at("2026-03-10T04:00:00Z"),
    evidence,
    ...more,
  });

  it("is written by the dial's own statement, with its attempt, and is immutable once written", async () => {
    await sql`SELECT dial_slots_ensure(5)`.execute(test.db);
    const leadId = await newLead("+12125550905");
    const written = await writeDial(test.db, leadId, LEAD_LOCKED, dial());
    if (written.kind !== "written") throw new Error(`not written: ${written.kind}`);
    const attemptId = written.attemptId;
    expect(await listEvidence(test.db, leadId)).toEqual([
      { attemptId, leadId, decidedAt: NOW, evidence, recordedAt: expect.any(Date) },
    ]);
    await expect(
      sql`UPDATE call_evidence SET evidence = '{}' WHERE attempt_id = ${attemptId}`.execute(test.db),
    ).rejects.toThrow(/call_evidence is append-only/);
    await expect(
      sql`DELETE FROM call_evidence WHERE attempt_id = ${attemptId}`.execute(test.db),
    ).rejects.toThrow(/DELETE refused/);
    await expect(sql`TRUNCATE call_evidence`.execute(test.db)).rejects.toThrow(/TRUNCATE refused/);
    // Its attempt cannot go either.
    await expect(sql`DELETE FROM call_attempts WHERE id = ${attemptId}`.execute(test.db)).rejects.toThrow(
      /foreign key/,
    );
    expect(await listEvidence(test.db, leadId)).toHaveLength(1);
  });

  it("a dial the writer refuses (the lead changed, no free slot) leaves no evidence; one without evidence is refused whole", async () => {
    const leadId = await newLead("+12125550907");
    const read = await readLead(test.db, leadId, at("2026-03-08T15:05:00Z"));
    if (!read) throw new Error("no lead");
    await sql`UPDATE leads SET first_name = 'changed' WHERE id = ${leadId}`.execute(test.db);
    expect(await writeDial(test.db, leadId, unchangedSince(read), dial())).toEqual({ kind: "stale" });
    const full = dial({ limits: { maxConcurrent: 1, maxPerHour: null, maxPerDay: null } });
    expect(await writeDial(test.db, leadId, LEAD_LOCKED, full)).toEqual({
      kind: "fleet_limit",
      limit: "concurrent",
    });
    expect(await listEvidence(test.db, leadId)).toEqual([]);
    await expect(
      writeDial(test.db, leadId, LEAD_LOCKED, dial({ evidence: null as unknown as DialEvidence })),
    ).rejects.toThrow(/null value/);
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM call_attempts WHERE lead_id = ${leadId}`.execute(test.db);
    expect(rows[0]?.n).toBe(0);
  });
});
