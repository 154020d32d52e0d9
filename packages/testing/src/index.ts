/**
 * The harness the tests and benches share, not part of the product: the vitest global setup (one
 * migrated template database per run; createTestDatabase in @redial/db/testing clones it), the
 * in-process stack (database + simulator + API + workers; its vitest fixture `loopTest` in
 * `@redial/testing/fixtures`, apart: vitest cannot be loaded outside a test run), the same system
 * as real processes (startSystem, the end-to-end tests) and the dead-worker drill, waitFor.
 */
export { type DeadWorkerTimes, killWorkerMidDial } from "./dead-worker-drill.ts";
export { type InProcessApi, startApiInProcess } from "./in-process-api.ts";
export { API_KEY, type Loop, type LoopEnv, type LoopOptions, startLoop } from "./loop.ts";
export { LOOP_API_KEY, type LoopSystem, type LoopSystemOptions, startLoopSystem } from "./loop-system.ts";
export {
  API_KEY as SYSTEM_API_KEY,
  type Child,
  E2E_ENV,
  freePort,
  leadBatch,
  OUTCOME_MIX,
  type RedialSystem,
  type SimCall,
  type SimStats,
  type SystemOptions,
  startSystem,
} from "./process-system.ts";
export { waitFor } from "./wait-for.ts";
