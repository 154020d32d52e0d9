import { getFleetState, listAudit } from "@redial/db";
import type { TestDatabase } from "@redial/db/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applySpendCap,
  decideSpendCap,
  intakeLead,
  pauseFleet,
  type RedialContext,
  type Runtime,
  resumeFleet,
} from "../src/index.ts";
import { startTestRuntime } from "../src/testing/test-runtime.ts";

const running = { paused: false, reason: null, day: null, capOverriddenDay: null } as const;

describe("decideSpendCap (pure)", () => {
  const today = "2026-12-02";
  it("pauses when today's spend reached the limit, not below it, and never without a limit", () => {
    expect(decideSpendCap(running, { spendToday: 50, limit: 50, today })).toBe("pause");
    expect(decideSpendCap(running, { spendToday: 49.99, limit: 50, today })).toBe("none");
    expect(decideSpendCap(running, { spendToday: 500, limit: null, today })).toBe("none");
  });
  it("an operator's resume after the cap keeps it off for the rest of that campaign day only", () => {
    const overridden = { ...running, capOverriddenDay: today };
    expect(decideSpendCap(overridden, { spendToday: 80, limit: 50, today })).toBe("none");
    expect(decideSpendCap(overridden, { spendToday: 80, limit: 50, today: "2026-12-03" })).toBe("pause");
  });
  it("its own pause lasts until the next campaign day, or until the limit is removed", () => {
    const capped = { paused: true, reason: "spend_cap", day: today, capOverriddenDay: null } as const;
    expect(decideSpendCap(capped, { spendToday: 80, limit: 50, today })).toBe("none");
    expect(decideSpendCap(capped, { spendToday: 0, limit: 50, today: "2026-12-03" })).toBe("resume");
    expect(decideSpendCap(capped, { spendToday: 80, limit: null, today })).toBe("resume");
  });
  it("a manual pause is never lifted by the cap", () => {
    const manual = { paused: true, reason: "manual", day: "2026-11-30", capOverriddenDay: null } as const;
    expect(decideSpendCap(manual, { spendToday: 0, limit: 50, today })).toBe("none");
  });
});

let database: TestDatabase;
let runtime: Runtime;
beforeAll(async () => {
  ({ database, runtime } = await startTestRuntime({ syncToConvoso: false }));
});
afterAll(async () => {
  await runtime.stop();
  await database.drop();
});

// Wednesday 2026-12-02, 12:00 Eastern (+ days).
const at = (days: number): RedialContext => ({
  ...runtime.ctx,
  now: () => new Date(Date.parse("2026-12-02T17:00:00Z") + days * 86_400_000),
});

async function callCosting(price: number, day: string) {
  const { lead } = await intakeLead(at(0), {
    phone: `212555${String(Math.round(price * 100)).padStart(4, "0")}`,
  });
  await sql`INSERT INTO call_attempts (lead_id, attempt_number, campaign_day, dialed_at, state, outcome, price)
            VALUES (${lead.id}, 1, ${day}, ${`${day}T17:00:00Z`}, 'ended', 'VOICEMAIL', ${price})`.execute(
    runtime.ctx.db,
  );
}

describe("applySpendCap (DAILY_SPEND_LIMIT) over today's calls", () => {
  it("pauses the fleet at the limit, stays off after a resume by hand that day, and lifts its pause the next day", async () => {
    await callCosting(30, "2026-12-02");
    expect((await applySpendCap(at(0), 50)).decision).toBe("none");
    await callCosting(25, "2026-12-02");
    expect(await applySpendCap(at(0), 50)).toEqual({ decision: "pause", spendToday: 55 });
    expect(await getFleetState(runtime.ctx.db)).toMatchObject({
      paused: true,
      reason: "spend_cap",
      day: "2026-12-02",
    });

    await resumeFleet(at(0), { name: "ops" });
    expect((await applySpendCap(at(0), 50)).decision).toBe("none");
    expect((await getFleetState(runtime.ctx.db)).paused).toBe(false);

    // A manual pause later that day is the operator's: the next day does not lift it.
    await pauseFleet(at(0), { name: "ops" }, "lunch");
    expect((await applySpendCap(at(1), 50)).decision).toBe("none");
    await resumeFleet(at(1), { name: "ops" });
    const actions = (await listAudit(runtime.ctx.db, { limit: 10 })).map((e) => [e.actor, e.action]);
    expect(actions).toEqual([
      ["ops", "fleet.resume"],
      ["ops", "fleet.pause"],
      ["ops", "fleet.resume"],
      ["system:spend-cap", "fleet.pause"],
    ]);
  });

  it("its own pause of yesterday is lifted on the next campaign day", async () => {
    await callCosting(60, "2026-12-04");
    expect((await applySpendCap(at(2), 50)).decision).toBe("pause");
    expect((await applySpendCap(at(3), 50)).decision).toBe("resume");
    expect((await getFleetState(runtime.ctx.db)).paused).toBe(false);
  });
});
