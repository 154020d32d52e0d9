import type { BlandClient } from "@redial/bland";
import { describe, expect, it } from "vitest";
import { createBlandDialer } from "../src/bland-dialer.ts";
import { createDialLimiter } from "../src/worker.ts";

const redisUrl = process.env.TEST_REDIS_URL;

/** Start times of `count` requests scheduled alternately through the given limiters. */
async function startTimes(
  limiters: ReturnType<typeof createDialLimiter>[],
  count: number,
): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      limiters[i % limiters.length]!.schedule(async () => void times.push(Date.now())),
    ),
  );
  return times.sort((a, b) => a - b);
}

describe("the Bland request limiter", () => {
  it("paces one process at DIAL_RATE_PER_SECOND", async () => {
    const limiter = createDialLimiter({ DIAL_RATE_PER_SECOND: 20 });
    const times = await startTimes([limiter], 10);
    // 10 requests at 20/s span 9 × 50 ms; without the limiter they would start together. A
    // loaded machine can run the first callback late and narrow the measured span, so the
    // assertion leaves a quarter of it as slack: still far from "no pace at all".
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(0.75 * 9 * 50);
    await limiter.stop();
  });

  it.runIf(redisUrl)("shares one pace across worker processes through Redis (REDIS_URL)", async () => {
    const a = createDialLimiter({ DIAL_RATE_PER_SECOND: 20, REDIS_URL: redisUrl });
    const b = createDialLimiter({ DIAL_RATE_PER_SECOND: 20, REDIS_URL: redisUrl });
    try {
      await Promise.all([a.ready(), b.ready()]);
      const times = await startTimes([a, b], 20);
      // Two limiters, one shared pace: 20 requests at 20/s together span at least 19 × 50 ms;
      // two separate paces would finish in half that. The span, not each gap, is asserted, with a
      // quarter of it as slack (a late first callback narrows it): still well above half.
      expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(0.75 * 19 * 50);
    } finally {
      await a.disconnect();
      await b.disconnect();
    }
  });
});

describe("the Bland dialer's last check", () => {
  /** A Bland client that only counts createCall. */
  function countingClient() {
    const created: number[] = [];
    const client = {
      createCall: async () => {
        created.push(Date.now());
        return { callId: `call-${created.length}` };
      },
    } as unknown as BlandClient;
    return { client, created };
  }

  it("runs beforeSend after the limiter's wait, and a throw there sends nothing", async () => {
    const limiter = createDialLimiter({ DIAL_RATE_PER_SECOND: 5 });
    const { client, created } = countingClient();
    const dialer = createBlandDialer({
      client,
      limiter,
      webhookUrl: "http://127.0.0.1:1/hook",
      maxDurationMinutes: 1,
    });
    try {
      const first = Date.now();
      await limiter.schedule(async () => undefined); // takes the limiter's first slot
      let checkedAt = 0;
      const placed = await dialer.place({
        leadId: 1,
        attemptId: 1,
        phone: "+12125550123",
        beforeSend: async () => {
          checkedAt = Date.now();
        },
      });
      expect(placed.callId).toBe("call-1");
      // 5/s: the second request waits ~200 ms, and the check runs after that wait (a quarter of
      // it as slack: a check before the wait would run within a few ms).
      expect(checkedAt - first).toBeGreaterThanOrEqual(0.75 * 200);
      await expect(
        dialer.place({
          leadId: 1,
          attemptId: 2,
          phone: "+12125550123",
          beforeSend: async () => {
            throw new Error("window closed");
          },
        }),
      ).rejects.toThrow("window closed");
      expect(created).toHaveLength(1);
    } finally {
      await limiter.stop();
    }
  });
});
