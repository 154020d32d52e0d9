import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { consentHistory, listEvidence } from "@redial/db";
import { type RedialSystem, startSystem, waitFor } from "@redial/testing";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";

const MAIN = join(import.meta.dirname, "../src/main.ts");

let system: RedialSystem | undefined;
afterEach(async () => {
  await system?.stop();
  system = undefined;
});

interface LeadView {
  id: number;
  phone: string;
  status: string;
  waiting_reason: string | null;
  next_attempt_at: string | null;
}

const NO_CONSENT = ["+12125557001", "+12125557002"];
const REDIALED = "+12125557003";
const OPTS_OUT = "+12125557004";

/** Written consent captured a day before the processes' clock (it runs at the last Eastern noon). */
const consentAt = (system: RedialSystem) => ({
  type: "written",
  captured_at: new Date(Date.now() + system.offsetSeconds * 1000 - 86_400_000).toISOString(),
  source: "https://example.com/quote",
  ip: "198.51.100.23",
  text_version: "tcpa-v7",
  certificate_id: "https://cert.trustedform.com/e2e",
});

describe("consent with real processes (simulator, api, worker, PostgreSQL; CONSENT_REQUIRED=written)", () => {
  it("a lead without consent is never dialed while consented ones are; a consent recorded later makes it dialed at once; a spoken opt-out revokes it and stops the lead", async ({
    onTestFailed,
  }) => {
    system = await startSystem({
      workers: 1,
      env: { CONSENT_REQUIRED: "written" },
      simulator: {
        minGapSeconds: 0.2,
        outcomeWeights: { voicemail: 1 },
        // The opt-out said in the conversation only (no DNC tag): the transcript decides.
        outcomeByPhone: { [OPTS_OUT]: "dnc_spoken" },
      },
    });
    const current = system;
    onTestFailed(() => void process.stderr.write(`--- process output ---\n${current.output()}\n`));
    const db = current.database.db;
    const attempts = async (phone: string) => {
      const { rows } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM call_attempts a JOIN leads l ON l.id = a.lead_id
        WHERE l.phone = ${phone} AND a.state <> 'not_placed'`.execute(db);
      return rows[0]?.n ?? 0;
    };
    const simCallsTo = async (phone: string) =>
      (await current.simCalls()).filter((c) => c.to === phone).length;

    // Two leads come with their consent (the bulk intake's `consent`), two without.
    const intake = await current.api<{ results: { lead: LeadView }[] }>("POST", "/v1/leads/bulk", {
      leads: [...NO_CONSENT, REDIALED, OPTS_OUT].map((phone) => ({
        phone,
        state: "NY",
        zip: "10001",
        ...(NO_CONSENT.includes(phone) ? {} : { consent: consentAt(current) }),
      })),
    });
    const leads = new Map(intake.results.map(({ lead }) => [lead.phone, lead]));

    // The consented lead is redialed to its daily max (4) while the others wait.
    await waitFor(
      async () => (await attempts(REDIALED)) >= 4 && (await attempts(OPTS_OUT)) >= 1,
      "the consented leads dialed",
      60_000,
    );
    for (const phone of NO_CONSENT) {
      expect(await attempts(phone)).toBe(0);
      expect(await simCallsTo(phone)).toBe(0);
      const lead = await current.api<LeadView>("GET", `/v1/leads/${leads.get(phone)?.id}`);
      expect(lead.status).toBe("active");
      expect(lead.waiting_reason).toMatch(/^no_consent: no written consent on record/);
      // Looked at again in a day, not polled.
      const processNow = Date.now() + current.offsetSeconds * 1000;
      expect(Date.parse(lead.next_attempt_at ?? "")).toBeGreaterThan(processNow + 23 * 3_600_000);
    }

    // The spoken opt-out: the lead is completed DNC, its consent revoked, never called again.
    const optedOut = leads.get(OPTS_OUT)?.id ?? 0;
    await waitFor(
      async () => (await current.api<LeadView>("GET", `/v1/leads/${optedOut}`)).status === "completed",
      "the opted-out lead completed",
      30_000,
    );
    expect(await attempts(OPTS_OUT)).toBe(1);
    expect((await consentHistory(db, optedOut)).map((entry) => entry.kind)).toEqual(["grant", "revocation"]);

    // A consent recorded now: the waiting lead is dialed within seconds, not a day later.
    const late = leads.get(NO_CONSENT[0] as string)?.id;
    await current.api("POST", `/v1/leads/${late}/consent`, consentAt(current));
    await waitFor(
      async () => (await attempts(NO_CONSENT[0] as string)) >= 1,
      "the late-consented lead dialed",
      30_000,
    );
    expect(await attempts(NO_CONSENT[1] as string)).toBe(0);
    expect(await attempts(OPTS_OUT)).toBe(1);
    expect(await simCallsTo(OPTS_OUT)).toBe(1);

    // The evidence export, as a real CLI process: every call with the evidence stored for it.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--experimental-strip-types", MAIN, "evidence", "--phone", "(212) 555-7004", "--json"],
      {
        env: {
          PATH: process.env.PATH ?? "",
          DATABASE_URL: current.database.url,
          CONSENT_REQUIRED: "written",
        },
      },
    );
    const record = JSON.parse(stdout);
    expect(record.calls.map((call: { evidence: unknown }) => call.evidence)).toEqual(
      (await listEvidence(db, optedOut)).map((stored) => stored.evidence),
    );
    expect(record).toMatchObject({
      phone: OPTS_OUT,
      on_dnc_list: true,
      lead: { status: "completed", final_outcome: "DNC" },
      consent: { current: null, history: [{ kind: "grant", type: "written" }, { kind: "revocation" }] },
      calls: [
        {
          outcome: "DNC",
          outcome_reason: expect.stringMatching(/^transcript/),
          evidence: { consent: { relied_on: { type: "written" } } },
        },
      ],
      opt_outs: [{ reason: "opt-out during call", recorded_by: "dnc list: call" }],
    });
    expect(current.crashed()).toEqual([]);
  }, 150_000);
});
