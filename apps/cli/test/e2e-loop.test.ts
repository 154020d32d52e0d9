import { leadBatch, OUTCOME_MIX, type RedialSystem, startSystem, waitFor } from "@redial/testing";
import { afterEach, describe, expect, it } from "vitest";
import {
  cadenceViolations,
  explainUnsettled,
  finalOutcomeViolations,
  jobViolations,
  placementViolations,
  readRun,
  sampleOpenAttempts,
  summarize,
  unsettledLeads,
  webhookViolations,
  windowViolations,
} from "./e2e-run.ts";

let system: RedialSystem | undefined;
afterEach(async () => {
  await system?.stop();
  system = undefined;
});

describe("the dial loop as real processes (simulator, api, 3 workers, PostgreSQL)", () => {
  it("305 leads over several rounds: every dial legal, capped, spaced; SALE/DNC final; one job per open lead; every webhook once", async ({
    onTestFailed,
  }) => {
    system = await startSystem({
      workers: 3,
      env: {
        // No faults here: a dial's request may leave until half the settle time after its write,
        // which the 3 s calls' reconcile deadline (4 s) caps at 2 s — a loaded machine's limiter
        // and event loop go past it and the dial is given back unsent. A later deadline (15 s)
        // changes nothing else without lost webhooks.
        RECONCILE_MARGIN_SECONDS: "12",
        ...(process.env.E2E_LOG_LEVEL ? { LOG_LEVEL: process.env.E2E_LOG_LEVEL } : {}),
      },
      simulator: {
        minGapSeconds: 0.3,
        outcomeWeights: OUTCOME_MIX,
        caps: { concurrent: 40, enforce: false },
      },
    });
    const current = system;
    onTestFailed(() => void process.stderr.write(`--- process output ---\n${current.output()}\n`));
    const db = current.database.db;
    const sampler = sampleOpenAttempts(db);

    const intake = await current.api<{ created: number }>("POST", "/v1/leads/bulk", {
      leads: leadBatch("700"),
    });
    expect(intake.created).toBe(305);
    await waitFor(
      async () => {
        const stats = await current.simStats();
        return (
          stats.calls.inProgress === 0 && stats.webhooks.pending === 0 && (await unsettledLeads(db)) === 0
        );
      },
      "every lead completed, at its daily max, or waiting for a callback or the window",
      150_000,
      {
        everyMs: 500,
        explain: async () =>
          `${await explainUnsettled(db)} ${JSON.stringify((await current.simStats()).calls)}`,
      },
    );
    const open = await sampler.stop();
    const run = await readRun(db);
    const stats = await current.simStats();
    const calls = await current.simCalls();
    const summary = summarize(run);
    console.info(`e2e loop: ${JSON.stringify({ summary, calls: stats.calls, webhooks: stats.webhooks })}`);

    expect(current.crashed()).toEqual([]);
    expect(windowViolations(run, current.offsetSeconds)).toEqual([]);
    expect(cadenceViolations(run)).toEqual([]);
    expect(finalOutcomeViolations(run)).toEqual([]);
    expect(jobViolations(run)).toEqual([]);
    expect(webhookViolations(run)).toEqual([]);
    expect(placementViolations(run, calls)).toEqual([]);
    expect(open.doubled).toEqual([]);
    expect(open.maxOpen).toBeLessThanOrEqual(40);
    expect(stats.violations).toMatchObject({ total: 0 });

    // Without faults: every dial placed one call, every result came by webhook, delivered once.
    expect(run.attempts.filter((a) => a.state !== "ended")).toEqual([]);
    expect(run.attempts.every((a) => a.result_source === "webhook")).toBe(true);
    expect(stats.calls.placed).toBe(run.attempts.length);
    expect(stats.webhooks).toMatchObject({
      failed: 0,
      dropped: 0,
      duplicated: 0,
      delivered: run.attempts.length,
    });
    expect(run.webhooks.filter((w) => w.result === "processed")).toHaveLength(run.attempts.length);

    // The run really went through every path: finals, callbacks, daily max, and Hawaii's closed window.
    const byStatus = (status: string) => run.leads.filter((l) => l.status === status);
    const hawaii = run.leads.filter((l) => l.phone.startsWith("+1808"));
    expect(hawaii.map((l) => [l.status, l.dial_jobs, l.waiting_reason?.split(":")[0]])).toEqual(
      hawaii.map(() => ["active", 1, "outside_window"]),
    );
    expect(run.attempts.filter((a) => hawaii.some((l) => l.id === a.lead_id))).toEqual([]);
    expect(byStatus("completed").filter((l) => l.final_outcome === "SALE").length).toBeGreaterThan(10);
    expect(byStatus("completed").filter((l) => l.final_outcome === "DNC").length).toBeGreaterThan(10);
    expect(byStatus("daily_max_reached").length).toBeGreaterThan(20);
    expect(run.leads.filter((l) => l.waiting_reason?.startsWith("callback")).length).toBeGreaterThan(5);
    expect(run.attempts.length).toBeGreaterThan(600);
  }, 240_000);
});
