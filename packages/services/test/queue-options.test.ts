import type { TestDatabase } from "@redial/db/testing";
import { ensureQueues, QUEUES } from "@redial/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Runtime } from "../src/index.ts";
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

describe("ensureQueues on a database whose queues an earlier version created", () => {
  it("gives the dial queue its dead letter and heartbeat again, and leaves the rest as they are", async () => {
    const boss = runtime.ctx.boss;
    await boss.updateQueue(QUEUES.dial.name, { deadLetter: null as unknown as string, heartbeatSeconds: 60 });
    expect(await boss.getQueue(QUEUES.dial.name)).toMatchObject({ deadLetter: null, heartbeatSeconds: 60 });

    await ensureQueues(boss);
    expect(await boss.getQueue(QUEUES.dial.name)).toMatchObject({
      deadLetter: QUEUES.dialFailed.name,
      heartbeatSeconds: 10,
      policy: "stately",
      retryLimit: 0,
    });
  });
});
