import { createConvosoClient, parseOutcomeStatusMap } from "@redial/convoso";
import type { TestDatabase } from "@redial/db/testing";
import { findLeadForConvoso, intakeLead, type Runtime, syncOutcomeToConvoso } from "@redial/services";
import { startTestRuntime } from "@redial/services/testing";
import { type RunningSimulator, startSimulator } from "@redial/simulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let database: TestDatabase;
let runtime: Runtime;
let simulator: RunningSimulator;
beforeAll(async () => {
  ({ database, runtime } = await startTestRuntime({ syncToConvoso: false }));
  simulator = await startSimulator({ historyCalls: 0 });
});
afterAll(async () => {
  await simulator.close();
  await runtime.stop();
  await database.drop();
});

describe("a Convoso lead id learned when an outcome is synced", () => {
  it("is recorded with its list, so a later status by that id finds the lead", async () => {
    const convosoLead = simulator.state.convoso.insertLead({ phone_number: "2125550961", list_id: "10" });
    const { lead } = await intakeLead(runtime.ctx, { phone: "2125550961" });
    const client = createConvosoClient({
      baseUrl: simulator.url,
      authToken: simulator.state.options.convosoToken,
    });
    const result = await syncOutcomeToConvoso(runtime.ctx, client, parseOutcomeStatusMap(""), {
      leadId: lead.id,
      outcome: "VOICEMAIL",
      dnc: false,
    });
    expect(result).toBe("updated");
    const found = await findLeadForConvoso(runtime.ctx, { convosoLeadId: String(convosoLead.id) });
    expect(found?.id).toBe(lead.id);
    const binding = await runtime.ctx.db
      .selectFrom("convoso_lead_ids")
      .select(["convoso_lead_id", "list_id"])
      .where("lead_id", "=", lead.id)
      .execute();
    expect(binding).toEqual([{ convoso_lead_id: String(convosoLead.id), list_id: "10" }]);
  });
});
