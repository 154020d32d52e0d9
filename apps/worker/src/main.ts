import { createLogger, loadConfig } from "@redial/config";
import { workerConfigSchema } from "./config.ts";
import { startWorker } from "./worker.ts";

/** `pnpm start:worker`: one worker process, configured only by the environment. */
const config = loadConfig(workerConfigSchema);
const log = createLogger({ name: "worker", level: config.LOG_LEVEL });
const worker = await startWorker(config, log);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    log.info({ signal }, "worker stopping (finishing running jobs)");
    await worker.stop();
    process.exit(0);
  });
}
