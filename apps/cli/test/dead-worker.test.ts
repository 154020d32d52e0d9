import { killWorkerMidDial, type RedialSystem, startSystem } from "@redial/testing";
import { afterEach, describe, expect, it } from "vitest";

let system: RedialSystem | undefined;
afterEach(async () => {
  await system?.stop();
  system = undefined;
});

describe("a worker killed mid-dial (real processes, SIGKILL)", () => {
  it("leaves its lead dialable again: pg-boss fails the dead worker's job, its dead letter gives the lead a job, and the lead is dialed", async ({
    onTestFailed,
  }) => {
    system = await startSystem({ workers: 0, simulator: { outcomeWeights: { no_answer: 1 } } });
    const current = system;
    onTestFailed(() => void process.stderr.write(`--- process output ---\n${current.output()}\n`));

    const times = await killWorkerMidDial(current, "2125550777");
    console.info(`dead worker: ${JSON.stringify({ ...times, replacement: undefined })}`);

    // Dialed again by the replacement, through the dead-letter path (not the minute's sweep).
    expect(Number.isNaN(times.failedAfterMs), "the dead worker's dial job was failed").toBe(false);
    expect(current.output()).toContain("its lead has a job again");
    expect(current.crashed()).toEqual([]);
  }, 240_000);
});
