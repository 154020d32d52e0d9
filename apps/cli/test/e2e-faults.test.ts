import { leadBatch, OUTCOME_MIX, type RedialSystem, startSystem, waitFor } from "@redial/testing";
import { afterEach, describe, expect, it } from "vitest";
import {
  cadenceViolations,
  explainUnsettled,
  finalOutcomeViolations,
  jobViolations,
  longestWaits,
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

describe("the dial loop under faults (kill -9 of a worker, Bland 5xx/429/timeouts, lost and duplicated webhooks)", () => {
  it("loses nothing and duplicates nothing: every lead settles with its job, one placed call per attempt, one open attempt per lead", async ({
    onTestFailed,
  }) => {
    system = await startSystem({
      workers: 3,
      // Ambiguous timeouts must be reachable: the client gives up before the simulator's hang ends.
      env: { BLAND_TIMEOUT_MS: "1500", HEAL_CRON: "* * * * *" },
      simulator: {
        minGapSeconds: 0.3,
        outcomeWeights: OUTCOME_MIX,
        caps: { concurrent: 40, enforce: false },
        faults: { webhookDuplicate: { probability: 0.1, delayMs: 50 }, webhookMissing: { probability: 0.1 } },
      },
    });
    const current = system;
    onTestFailed(() => void process.stderr.write(`--- process output ---\n${current.output()}\n`));
    const db = current.database.db;
    const sampler = sampleOpenAttempts(db);
    const intake = await current.api<{ created: number }>("POST", "/v1/leads/bulk", {
      leads: leadBatch("701"),
    });
    expect(intake.created).toBe(305);

    // Mid-run, with calls in progress: kill -9 one worker and start a replacement, then the Bland bursts.
    await waitFor(
      async () => {
        const { calls } = await current.simStats();
        return calls.placed >= 60 && calls.inProgress > 0;
      },
      "calls in progress",
      60_000,
      { everyMs: 50 },
    );
    const victim = current.workers[0];
    if (!victim) throw new Error("no worker to kill");
    const killedAt = Date.now();
    await current.kill(victim, "SIGKILL");
    current.startWorker();
    await current.simConfig({
      faults: {
        serverErrorAfterPlacing: { next: 5 },
        serverErrorBeforePlacing: { next: 5 },
        rateLimit: { next: 8, retryAfterSeconds: 0.2 },
        timeoutAfterPlacing: { next: 3, hangMs: 3000 },
      },
    });

    await waitFor(
      async () => {
        const stats = await current.simStats();
        return (
          stats.calls.inProgress === 0 && stats.webhooks.pending === 0 && (await unsettledLeads(db)) === 0
        );
      },
      "every lead completed, at its daily max, or waiting for a callback or the window",
      // The floor after kill -9: the dead worker's active dial jobs block their leads until pg-boss
      // fails them (10 s without a heartbeat + a supervise pass ≤ 5 s); then the lead's queued job
      // reconciles (an attempt never sent is given back for 60 s) or, when the kill rolled back
      // the dial transaction, the dial-failed consumer gives it a job again.
      330_000,
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
    const settledAfterKillSeconds = Math.round((Date.now() - killedAt) / 1000);
    console.info(
      `e2e faults: ${JSON.stringify({ settledAfterKillSeconds, longestWaits: longestWaits(run, 8, current.offsetSeconds), summary, calls: stats.calls, webhooks: stats.webhooks, faults: stats.faultsFired })}`,
    );

    expect(current.crashed()).toEqual([]);
    // Every fault really happened.
    expect(stats.faultsFired).toMatchObject({
      serverErrorAfterPlacing: 5,
      serverErrorBeforePlacing: 5,
      rateLimit: 8,
      timeoutAfterPlacing: 3,
    });
    expect(stats.webhooks.dropped).toBeGreaterThan(0);
    expect(stats.webhooks.duplicated).toBeGreaterThan(0);

    // Nothing lost: every lead settled with exactly its one job (none when completed), no attempt left open.
    expect(jobViolations(run)).toEqual([]);
    expect(run.attempts.filter((a) => a.state === "dialing" || a.state === "in_progress")).toEqual([]);
    // Nothing duplicated: one placed call per attempt, never two open attempts for a lead, each result once.
    expect(placementViolations(run, calls)).toEqual([]);
    expect(stats.calls.placed).toBe(run.attempts.filter((a) => a.bland_call_id !== null).length);
    expect(open.doubled).toEqual([]);
    expect(open.maxOpen).toBeLessThanOrEqual(40);
    expect(webhookViolations(run)).toEqual([]);
    // And the rules held throughout.
    expect(windowViolations(run, current.offsetSeconds)).toEqual([]);
    expect(cadenceViolations(run)).toEqual([]);
    expect(finalOutcomeViolations(run)).toEqual([]);
    expect(stats.violations).toMatchObject({ total: 0 });
    // Lost webhooks were reconciled; calls Bland never placed were given back, not counted.
    expect(run.attempts.filter((a) => a.result_source === "reconcile").length).toBeGreaterThanOrEqual(
      stats.webhooks.dropped,
    );
    expect(run.attempts.filter((a) => a.state === "not_placed").length).toBeGreaterThanOrEqual(5);
    // Duplicated deliveries (the same bytes again) were counted on their first event, not stored again.
    expect(run.webhooks.filter((w) => w.delivery_count > 1).length).toBeGreaterThan(0);
  }, 420_000);
});
