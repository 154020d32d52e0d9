import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { storeWebhookEvent } from "@redial/db";
import { normalizePhone } from "@redial/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BackfillWorld, startBackfillWorld } from "./backfill-harness.ts";

describe("redial backfill webhook-logs", () => {
  let world: BackfillWorld;
  beforeAll(async () => {
    world = await startBackfillWorld();
  });
  afterAll(async () => world?.close());

  /** History calls 100..139 with a valid phone, as full call objects (what a webhook carries). */
  const calls = () =>
    Array.from({ length: 40 }, (_, k) => world.simulator.state.history.call(100 + k)).filter(
      (c) => normalizePhone(c.to) === c.to,
    );

  it("imports a JSON Lines file and reports a malformed line by its number, without stopping", async () => {
    const lines = calls().map((c) => JSON.stringify(c));
    lines.splice(2, 0, "{not json");
    const file = join(tmpdir(), `backfill-${process.pid}-${Date.now()}.jsonl`);
    await writeFile(file, `${lines.join("\n")}\n`);
    const output: string[] = [];
    const summary = await world.webhookLogs({ file, json: true }, { output });
    expect(summary.calls).toMatchObject({ fetched: calls().length, imported: calls().length, failed: 1 });
    expect(summary.failures.first).toEqual([
      { stage: "line", item: "line 3", reason: expect.stringMatching(/not JSON/) },
    ]);
    expect(summary.uniquePhones).toBe(new Set(calls().map((c) => c.to)).size);
    expect(JSON.parse(output[0] ?? "{}").calls.imported).toBe(calls().length);
  });

  it("reads our stored Bland webhook events when no file is given; known calls are not imported twice", async () => {
    const more = Array.from({ length: 10 }, (_, k) => world.simulator.state.history.call(300 + k)).filter(
      (c) => normalizePhone(c.to) === c.to,
    );
    for (const call of [...calls().slice(0, 5), ...more]) {
      await storeWebhookEvent(world.database.db, { source: "bland", callId: call.call_id, body: call });
    }
    const summary = await world.webhookLogs({});
    expect(summary.calls).toMatchObject({ fetched: 5 + more.length, imported: more.length, alreadyKnown: 5 });
  });
});
