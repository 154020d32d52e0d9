import type { TestDatabase } from "@redial/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { intakeLead, type RedialContext, type Runtime } from "../src/index.ts";
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

describe("a known phone sent again with an address", () => {
  // Wednesday 2026-12-02 16:00Z: 11:00 in New York (the campaign opens), 06:00 in Honolulu.
  const ctx = (): RedialContext => ({ ...runtime.ctx, now: () => new Date("2026-12-02T16:00:00Z") });

  it("keeps the new address's zone and state, and moves the next dial into its window", async () => {
    const first = await intakeLead(ctx(), { phone: "8005550199" });
    // A toll-free number and no address: the safe window, open at 11:00 Eastern.
    expect(first.lead.timezones).toEqual([]);
    expect(first.lead.nextAttemptAt).toEqual(new Date("2026-12-02T16:00:00Z"));

    const again = await intakeLead(ctx(), { phone: "(800) 555-0199", zip: "96813", list_id: "L2" });
    expect(again.created).toBe(false);
    expect(again.lead.id).toBe(first.lead.id);
    expect(again.lead.timezones).toEqual(["Pacific/Honolulu"]);
    expect(again.lead.states).toEqual(["HI"]);
    // 08:00 in Honolulu.
    expect(again.lead.nextAttemptAt).toEqual(new Date("2026-12-02T18:00:00Z"));
    const { rows } = await runtime.ctx.db
      .selectFrom("pgboss.job" as never)
      .select(["start_after" as never])
      .where("name" as never, "=", "dial" as never)
      .where("singleton_key" as never, "=", String(first.lead.id) as never)
      .where("state" as never, "=", "created" as never)
      .execute()
      .then((r) => ({ rows: r as unknown as { start_after: Date }[] }));
    // Its one job moved with it: due 2 h after the (test's) now, by the database's own clock.
    expect(rows).toHaveLength(1);
    const dueIn = (rows[0]?.start_after.getTime() ?? 0) - Date.now();
    expect(Math.abs(dueIn - 2 * 3_600_000)).toBeLessThan(60_000);
  });

  it("changes nothing when the address adds no zone or state", async () => {
    const first = await intakeLead(ctx(), { phone: "2125550188", state: "NY", zip: "10001" });
    const again = await intakeLead(ctx(), { phone: "2125550188", state: "NY" });
    expect(again.lead.timezones).toEqual(first.lead.timezones);
    expect(again.lead.states).toEqual(first.lead.states);
    expect(again.lead.nextAttemptAt).toEqual(first.lead.nextAttemptAt);
  });
});
