import { test } from "vitest";
import { type Loop, type LoopOptions, startLoop } from "./loop.ts";

/**
 * `loopTest`: vitest's `test` with a `startLoop` fixture (in the style of test.extend fixtures):
 * each call starts a whole in-process loop for this test, and every loop it started is closed
 * after the test, whatever happened in it.
 */
export const loopTest = test.extend<{ startLoop: (options?: LoopOptions) => Promise<Loop> }>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads the fixtures a fixture needs from this pattern.
  startLoop: async ({}, use) => {
    const started: Loop[] = [];
    await use(async (options) => {
      const loop = await startLoop(options);
      started.push(loop);
      return loop;
    });
    for (const loop of started.reverse()) await loop.close();
  },
});
