import { listAudit } from "@redial/db";
import type { TestDatabase } from "@redial/db/testing";
import { QUEUES } from "@redial/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listConvosoDeadLetters, type Runtime, retryConvosoDeadLetters } from "../src/index.ts";
import { startTestRuntime } from "../src/testing/test-runtime.ts";

let database: TestDatabase;
let runtime: Runtime;
beforeAll(async () => {
  ({ database, runtime } = await startTestRuntime({ syncToConvoso: true }));
});
afterAll(async () => {
  await runtime.stop();
  await database.drop();
});

describe("Convoso sync dead letters", () => {
  it("are listed with their lead and outcome, and a retry sends them back to convoso-sync (audited)", async () => {
    const boss = runtime.ctx.boss;
    const id = await boss.send(QUEUES.convosoSyncDead.name, { leadId: 7, outcome: "SALE", dnc: false });
    expect(id).toBeTruthy();
    const [letter] = await listConvosoDeadLetters(runtime.ctx, 10);
    expect(letter).toMatchObject({ id, leadId: 7, outcome: "SALE" });

    expect(await retryConvosoDeadLetters(runtime.ctx, [id!], { name: "ops" })).toBe(1);
    expect(await listConvosoDeadLetters(runtime.ctx, 10)).toEqual([]);
    const queued = await boss.findJobs(QUEUES.convosoSync.name, { queued: true });
    expect(queued.map((job) => job.data)).toEqual([{ leadId: 7, outcome: "SALE", dnc: false }]);
    const [audit] = await listAudit(runtime.ctx.db, { limit: 1 });
    expect(audit).toMatchObject({
      actor: "ops",
      action: "convoso_dead_letters.retry",
      details: { moved: 1 },
    });
  });
});
