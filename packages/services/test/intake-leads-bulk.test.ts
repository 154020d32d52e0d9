import type { TestDatabase } from "@redial/db/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  intakeLead,
  intakeLeadsBulk,
  parseLeadInput,
  type RedialContext,
  type Runtime,
} from "../src/index.ts";
import { startTestRuntime } from "../src/testing/test-runtime.ts";

let database: TestDatabase;
let runtime: Runtime;
beforeAll(async () => {
  ({ database, runtime } = await startTestRuntime({ syncToConvoso: false }));
});
afterAll(async () => {
  await runtime.stop();
  await database.drop();
});

// Tuesday 2026-03-10 11:00 EDT.
const ctx = (): RedialContext => ({ ...runtime.ctx, now: () => new Date("2026-03-10T15:00:00Z") });
const phoneOf = (area: string, i: number) => `${area}${String(5_000_000 + i).padStart(7, "0")}`;

async function leadCount(): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM leads`.execute(runtime.ctx.db);
  return rows[0]?.n ?? 0;
}

describe("bulk intake answers every row", () => {
  it("520 rows with one bad row in the last chunk: 519 admitted, the bad one rejected by name, every row answered", async () => {
    const rows: unknown[] = Array.from({ length: 520 }, (_, i) => ({
      phone: phoneOf("212", i),
      state: "NY",
    }));
    rows[515] = { phone: phoneOf("212", 515), first_name: "Ann\u0000" };
    const before = await leadCount();
    const results = await intakeLeadsBulk(ctx(), rows);
    expect(results.map((r) => r.index)).toEqual(rows.map((_, i) => i));
    expect(results.filter((r) => r.status === "created")).toHaveLength(519);
    expect(results[515]).toMatchObject({ status: "rejected", error: { code: "invalid_input" } });
    expect((results[515] as { error: { message: string } }).error.message).toMatch(/^first_name: /);
    expect(await leadCount()).toBe(before + 519);
  });

  it("a row that fails inside its chunk's transaction (its phone on the DNC list) is rolled back alone", async () => {
    await runtime.ctx.db
      .insertInto("dnc_phones")
      .values({ phone: `+1${phoneOf("305", 1)}`, reason: "test", source: "api" })
      .execute();
    const results = await intakeLeadsBulk(
      ctx(),
      [0, 1, 2].map((i) => ({ phone: phoneOf("305", i) })),
    );
    expect(results.map((r) => r.status)).toEqual(["created", "rejected", "created"]);
    expect(results[1]).toMatchObject({ error: { code: "phone_on_dnc" } });
  });

  it("a chunk whose transaction fails at commit answers not_written for each of its rows; the chunks before and after are written and say so", async () => {
    // A deferred constraint that fails at COMMIT for one phone: the whole chunk's transaction fails.
    await sql`
      CREATE FUNCTION test_refuse_phone() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.phone = '+14045550007' THEN RAISE EXCEPTION 'refused at commit'; END IF;
        RETURN NULL;
      END $$`.execute(runtime.ctx.db);
    await sql`
      CREATE CONSTRAINT TRIGGER test_refuse_phone AFTER INSERT ON leads
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_refuse_phone()`.execute(
      runtime.ctx.db,
    );
    try {
      const before = await leadCount();
      const rows = Array.from({ length: 12 }, (_, i) => ({ phone: `40455500${String(i).padStart(2, "0")}` }));
      const results = await intakeLeadsBulk(ctx(), rows, { chunkSize: 5 });
      expect(results.map((r) => r.status)).toEqual([
        ...Array(5).fill("created"),
        ...Array(5).fill("not_written"),
        "created",
        "created",
      ]);
      expect(results[7]).toMatchObject({
        status: "not_written",
        error: {
          code: "chunk_failed",
          message: expect.stringMatching(/Rows 5–9 were not written.*Send them again/),
        },
      });
      expect(await leadCount()).toBe(before + 7);
    } finally {
      await sql`DROP TRIGGER test_refuse_phone ON leads`.execute(runtime.ctx.db);
      await sql`DROP FUNCTION test_refuse_phone()`.execute(runtime.ctx.db);
    }
  });

  it("lenient rows are admitted with their warnings", async () => {
    const [row] = await intakeLeadsBulk(ctx(), [
      { phone: "6175550300", state: "massachusetts", zip: "2134" },
    ]);
    expect(row).toMatchObject({
      status: "created",
      lead: { state: "MA", zip: "02134" },
      warnings: [{ field: "zip" }],
    });
  });

  it("in one chunk: new leads with their consent and their one dial job, a phone sent twice (created, then existing and unchanged), a known phone with a new list (existing, changed)", async () => {
    const consent = { type: "written", captured_at: "2026-03-01T09:00:00-05:00", certificate_id: "cert-1" };
    await intakeLeadsBulk(ctx(), [{ phone: "7135550400" }]);
    const results = await intakeLeadsBulk(ctx(), [
      { phone: "7135550401", consent },
      { phone: "(713) 555-0401", consent },
      { phone: "7135550400", list_id: "9" },
      { phone: "7135550402" },
    ]);
    expect(results.map((r) => [r.status, "changed" in r ? r.changed : null])).toEqual([
      ["created", true],
      ["existing", false],
      ["existing", true],
      ["created", true],
    ]);
    expect(results[0]).toMatchObject({
      lead: { phone: "+17135550401", consent: { type: "written", certificateId: "cert-1" } },
    });
    const { rows } = await sql<{
      phone: string;
      consents: number;
      jobs: number;
      next_attempt_at: Date | null;
    }>`
      SELECT l.phone, l.next_attempt_at,
        (SELECT count(*)::int FROM lead_consents c WHERE c.lead_id = l.id) AS consents,
        (SELECT count(*)::int FROM pgboss.job j WHERE j.name = 'dial' AND j.singleton_key = l.id::text) AS jobs
      FROM leads l WHERE l.phone LIKE '+1713555040%' ORDER BY l.phone`.execute(runtime.ctx.db);
    expect(rows.map((r) => [r.phone, r.consents, r.jobs, r.next_attempt_at !== null])).toEqual([
      ["+17135550400", 0, 1, true],
      ["+17135550401", 1, 1, true],
      ["+17135550402", 0, 1, true],
    ]);
  });

  it("a chunk's new leads are written once with their schedule: a lead without consent is never updated, one with a consent once (its consent only)", async () => {
    await sql`CREATE TABLE test_lead_updates (lead_id bigint, schedule_changed boolean, consent_changed boolean)`.execute(
      runtime.ctx.db,
    );
    await sql`
      CREATE FUNCTION test_log_lead_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO test_lead_updates VALUES (NEW.id,
          (OLD.status, OLD.next_attempt_at, OLD.waiting_reason) IS DISTINCT FROM (NEW.status, NEW.next_attempt_at, NEW.waiting_reason),
          OLD.consent IS DISTINCT FROM NEW.consent);
        RETURN NULL;
      END $$`.execute(runtime.ctx.db);
    await sql`CREATE TRIGGER test_log_lead_update AFTER UPDATE ON leads FOR EACH ROW EXECUTE FUNCTION test_log_lead_update()`.execute(
      runtime.ctx.db,
    );
    try {
      const consent = { type: "written", captured_at: "2026-03-01T09:00:00-05:00" };
      const rows = Array.from({ length: 40 }, (_, i) => ({
        phone: phoneOf("602", i),
        ...(i % 2 === 0 ? { consent } : {}),
      }));
      const results = await intakeLeadsBulk(ctx(), rows, { chunkSize: 40 });
      expect(results.every((r) => r.status === "created")).toBe(true);
      const ids = results.map((r) => ("lead" in r ? r.lead.id : 0));
      const { rows: updates } = await sql<{
        lead_id: string;
        schedule_changed: boolean;
        consent_changed: boolean;
      }>`
        SELECT * FROM test_lead_updates WHERE lead_id = ANY(${ids}::bigint[])`.execute(runtime.ctx.db);
      expect(updates.map((u) => Number(u.lead_id)).sort((a, b) => a - b)).toEqual(
        ids.filter((_, i) => i % 2 === 0).sort((a, b) => a - b),
      );
      expect(updates.every((u) => u.consent_changed && !u.schedule_changed)).toBe(true);
    } finally {
      await sql`DROP TRIGGER test_log_lead_update ON leads`.execute(runtime.ctx.db);
      await sql`DROP FUNCTION test_log_lead_update()`.execute(runtime.ctx.db);
      await sql`DROP TABLE test_lead_updates`.execute(runtime.ctx.db);
    }
  });

  it("a new lead admitted in bulk gets the schedule, consent and dial job the single-lead intake gives the same lead", async () => {
    // Consent required: the consent each lead arrives with decides its first schedule.
    const strict = (): RedialContext => ({
      ...ctx(),
      policy: { ...runtime.ctx.policy, consentRequired: "written" },
    });
    const inputs: Record<string, unknown>[] = [
      { state: "NY", zip: "10001", consent: { type: "written", captured_at: "2026-03-01T09:00:00-05:00" } },
      { consent: { type: "express", captured_at: "2026-03-01T09:00:00-05:00" } },
      { consent: { type: "written" } },
      { consent: { type: "none", captured_at: "2026-03-01T09:00:00-05:00" } },
      { consent: { type: "written", captured_at: "2026-03-10T11:30:00-04:00" } },
      { state: "FL" },
      {},
    ];
    const areas = ["212", "850", "907", "808", "305", "850", "415"];
    const single = inputs.map((input, i) => ({ ...input, phone: phoneOf(areas[i] ?? "212", 700 + i) }));
    const bulk = inputs.map((input, i) => ({ ...input, phone: phoneOf(areas[i] ?? "212", 800 + i) }));
    for (const row of single) {
      const { input, warnings } = parseLeadInput(row, { now: strict().now() });
      await intakeLead(strict(), input, warnings);
    }
    const results = await intakeLeadsBulk(strict(), bulk);
    expect(results.map((r) => r.status)).toEqual(inputs.map(() => "created"));
    const stored = async (phones: string[]) => {
      const { rows } = await sql<{ lead: Record<string, unknown>; job: Record<string, unknown> }>`
        SELECT jsonb_build_object('status', l.status, 'next_attempt_at', l.next_attempt_at,
                 'waiting_reason', l.waiting_reason, 'timezones', l.timezones, 'states', l.states,
                 'consent', l.consent - ARRAY['id', 'recorded_at', 'recorded_by']) AS lead,
               to_jsonb(j) - ARRAY['id', 'data', 'singleton_key', 'created_on', 'start_after', 'keep_until']
                 || jsonb_build_object('own_lead', j.data = jsonb_build_object('leadId', l.id) AND j.singleton_key = l.id::text,
                      'due_in', extract(epoch FROM j.start_after - j.created_on),
                      'retention', extract(epoch FROM j.keep_until - j.start_after)) AS job
        FROM leads l LEFT JOIN pgboss.job j ON j.name = 'dial' AND j.singleton_key = l.id::text
        WHERE l.phone = ANY(${phones.map((p) => `+1${p}`)}::text[])
        ORDER BY right(l.phone, 2)`.execute(runtime.ctx.db);
      return rows;
    };
    const fromSingle = await stored(single.map((r) => r.phone));
    const fromBulk = await stored(bulk.map((r) => r.phone));
    expect(fromBulk).toHaveLength(inputs.length);
    expect(fromBulk).toEqual(fromSingle);
    expect(fromBulk.map((r) => r.job.own_lead)).toEqual(inputs.map(() => true));
    // The cases differ: dialable now, waiting for consent, waiting for a consent captured later.
    expect(new Set(fromBulk.map((r) => String(r.lead.waiting_reason).split(":")[0])).size).toBeGreaterThan(1);
  });
});
