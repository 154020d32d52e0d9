/** The worker process: `startWorker` for the all-in-one start, `main.ts` for `pnpm start:worker`. */
export { classifyDialError, createBlandDialer } from "./bland-dialer.ts";
export { type WorkerConfig, workerConfigSchema } from "./config.ts";
export { dialWorkOptions } from "./job-handlers.ts";
export { type RunningWorker, startWorker } from "./worker.ts";
