import type { TestDatabase } from "@redial/db/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { intakeLead, type RedialContext, type Runtime, relocateLeads } from "../src/index.ts";
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

// Wednesday 2026-07-15 16:00Z: 12:00 in New York, 09:00 in Phoenix, 10:00 in the Navajo Nation.
const ctx = (): RedialContext => ({ ...runtime.ctx, now: () => new Date("2026-07-15T16:00:00Z") });

/** As an older version of the tables left them: Arizona without the Navajo Nation's zone. */
async function asBefore(leadId: number): Promise<void> {
  await sql`UPDATE leads SET timezones = '{America/Los_Angeles,America/Phoenix}' WHERE id = ${leadId}`.execute(
    runtime.ctx.db,
  );
}

async function placeOf(leadId: number) {
  return runtime.ctx.db
    .selectFrom("leads")
    .select(["timezones", "states", "status"])
    .where("id", "=", leadId)
    .executeTakeFirstOrThrow();
}

describe("relocateLeads: the current location tables applied to the leads already stored", () => {
  it("widens a lead the tables now place in more zones, decides its next dial again; a second run finds nothing", async () => {
    const arizona = await intakeLead(ctx(), { phone: "2135550901", state: "AZ" });
    const newYork = await intakeLead(ctx(), { phone: "2125550902", state: "NY", zip: "10001" });
    const sold = await intakeLead(ctx(), { phone: "6025550903", state: "AZ" });
    await asBefore(arizona.lead.id);
    await asBefore(sold.lead.id);
    await sql`UPDATE leads SET status = 'completed', final_outcome = 'SALE' WHERE id = ${sold.lead.id}`.execute(
      runtime.ctx.db,
    );

    const dry = await relocateLeads(ctx(), { dryRun: true });
    expect(dry).toEqual({ checked: 2, widened: 1, rescheduled: 0 });
    expect((await placeOf(arizona.lead.id)).timezones).toEqual(["America/Los_Angeles", "America/Phoenix"]);

    const batches: number[] = [];
    const run = await relocateLeads(ctx(), { batchSize: 1, onBatch: (s) => batches.push(s.checked) });
    expect(run).toEqual({ checked: 2, widened: 1, rescheduled: 1 });
    expect(batches).toEqual([1, 2]);
    expect((await placeOf(arizona.lead.id)).timezones).toEqual([
      "America/Denver",
      "America/Los_Angeles",
      "America/Phoenix",
    ]);
    // A completed lead is left as it was; a lead already right is not touched.
    expect((await placeOf(sold.lead.id)).timezones).toEqual(["America/Los_Angeles", "America/Phoenix"]);
    expect(await placeOf(newYork.lead.id)).toMatchObject({ timezones: ["America/New_York"] });

    expect(await relocateLeads(ctx())).toEqual({ checked: 2, widened: 0, rescheduled: 0 });
  });
});
