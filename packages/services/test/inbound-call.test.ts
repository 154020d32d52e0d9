import type { TestDatabase } from "@redial/db/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { intakeLead, PhoneOnDncList, type Runtime, recordCallResult, stopLead } from "../src/index.ts";
import { startTestRuntime } from "../src/testing/test-runtime.ts";

let database: TestDatabase;
let runtime: Runtime;
beforeAll(async () => {
  ({ database, runtime } = await startTestRuntime());
});
afterAll(async () => {
  await runtime.stop();
  await database.drop();
});

const inbound = (from: string, said: string) => ({
  call_id: `inbound-${from}`,
  inbound: true,
  from,
  to: "+14155550001",
  status: "completed",
  completed: true,
  answered_by: "human",
  corrected_duration: "30",
  transcripts: [
    { user: "assistant", text: "Thanks for calling Sunrise Health." },
    { user: "user", text: said },
  ],
});

async function dncJobs(leadId: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pgboss.job
    WHERE name = 'convoso-sync' AND (data->>'leadId')::bigint = ${leadId} AND data->>'dnc' = 'true'`.execute(
    runtime.ctx.db,
  );
  return rows[0]?.n ?? 0;
}

describe("a call that is none of our attempts, matched by phone", () => {
  it("an inbound opt-out from a phone we have no lead for puts it on our DNC list: its lead is refused later", async () => {
    const result = await recordCallResult(
      runtime.ctx,
      inbound("+13125550901", "Take me off your list."),
      "webhook",
    );
    expect(result.status).toBe("unknown_call");
    await expect(intakeLead(runtime.ctx, { phone: "+13125550901" })).rejects.toBeInstanceOf(PhoneOnDncList);
  });

  it("an inbound opt-out from a lead already completed as SALE still reaches our DNC list and Convoso", async () => {
    const { lead } = await intakeLead(runtime.ctx, { phone: "+13125550902", state: "IL" });
    await stopLead(runtime.ctx, lead.id, "SALE");
    const result = await recordCallResult(
      runtime.ctx,
      inbound("+13125550902", "Never call this number again."),
      "webhook",
    );
    expect(result).toMatchObject({ status: "processed", leadId: lead.id, outcome: "DNC" });
    expect(await dncJobs(lead.id)).toBe(1);
  });

  it("an unknown outbound call id whose `to` is a lead's phone applies its DNC to that lead", async () => {
    const { lead } = await intakeLead(runtime.ctx, { phone: "+13125550903", state: "IL" });
    const call = {
      ...inbound("+14155550001", "Stop calling me."),
      inbound: false,
      to: "+13125550903",
      call_id: "not-ours-1",
    };
    const result = await recordCallResult(runtime.ctx, call, "webhook");
    expect(result).toMatchObject({ status: "processed", leadId: lead.id, outcome: "DNC" });
  });
});
