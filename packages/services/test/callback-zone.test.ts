import type { TestDatabase } from "@redial/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callbackZoneOf,
  type Dialer,
  dialLead,
  ensureDialSlots,
  intakeLead,
  type RedialContext,
  type Runtime,
  recordCallResult,
} from "../src/index.ts";
import { startTestRuntime } from "../src/testing/test-runtime.ts";

const E = "America/New_York";
const C = "America/Chicago";
const P = "America/Los_Angeles";

describe("callbackZoneOf: where '3 PM' without an offset is read", () => {
  it("the ZIP's zone, else the campaign's when the lead may be there, else its first candidate", () => {
    expect(callbackZoneOf({ zip: "33101", timezones: [P, E] }, C)).toBe(E); // Miami ZIP, 213 phone
    expect(callbackZoneOf({ zip: null, timezones: [C, E] }, E)).toBe(E);
    expect(callbackZoneOf({ zip: null, timezones: ["Pacific/Honolulu"] }, E)).toBe("Pacific/Honolulu");
    expect(callbackZoneOf({ zip: null, timezones: [] }, E)).toBe(E);
  });
});

let database: TestDatabase;
let runtime: Runtime;
beforeAll(async () => {
  ({ database, runtime } = await startTestRuntime({ syncToConvoso: false }));
  await ensureDialSlots(runtime.ctx.db, 10);
});
afterAll(async () => {
  await runtime.stop();
  await database.drop();
});

describe("a callback asked for by a lead with a Miami ZIP and a Los Angeles phone", () => {
  it("is read in Miami's zone: 3 PM Eastern, not 3 PM Pacific", async () => {
    // Wednesday 2026-12-02, 12:00 Eastern.
    const ctx: RedialContext = { ...runtime.ctx, now: () => new Date("2026-12-02T17:00:00Z") };
    const { lead } = await intakeLead(ctx, { phone: "2135550601", zip: "33101" });
    expect(lead.timezones).toEqual([P, E]);
    const dialer: Dialer = {
      place: async () => ({ callId: "call-callback-zone" }),
      findPlacedCall: async () => undefined,
      getCall: async () => undefined,
      classify: (error) => ({ kind: "ambiguous", message: String(error) }),
    };
    const limits = { maxConcurrent: 10, maxPerHour: null, maxPerDay: null };
    expect(await dialLead(ctx, { dialer, limits }, lead.id)).toBe("placed");
    const result = await recordCallResult(
      ctx,
      {
        call_id: "call-callback-zone",
        completed: true,
        status: "completed",
        answered_by: "human",
        call_length: 1.5,
        variables: { callback_time: "2026-12-03T15:00:00" },
      },
      "webhook",
    );
    expect(result).toMatchObject({ status: "processed", outcome: "CALLBACK" });
    const row = await runtime.ctx.db
      .selectFrom("leads")
      .select(["callback_at"])
      .where("id", "=", lead.id)
      .executeTakeFirstOrThrow();
    expect(row.callback_at).toEqual(new Date("2026-12-03T20:00:00Z"));
  });
});
