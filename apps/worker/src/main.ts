import { createLogger, loadConfig, stopOnSignals } from "@redial/config";
import { workerConfigSchema } from "./config.ts";
import { startWorker, workerStopGraceMs } from "./worker.ts";

/** `pnpm start:worker`: one worker process, configured only by the environment. */
const config = loadConfig(workerConfigSchema);
const log = createLogger({ name: "worker", level: config.LOG_LEVEL });
const worker = await startWorker(config, log);

// Stop fetching jobs, let running dials finish (their transaction and Bland's answer), then close
// pg-boss and the pool: the grace covers one Bland request and its writes.
stopOnSignals({
  name: "worker",
  log,
  timeoutMs: workerStopGraceMs(config) + 10_000,
  stop: () => worker.stop(),
});
