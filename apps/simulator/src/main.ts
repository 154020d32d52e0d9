import { createLogger, loadConfig, stopOnSignals } from "@redial/config";
import { startSimulator } from "./index.ts";
import { InvalidSimulatorConfig } from "./simulator-config.ts";
import { optionsFromEnv, simulatorEnvSchema } from "./simulator-env.ts";

const env = loadConfig(simulatorEnvSchema);
const options = optionsFromEnv(env);
const log = createLogger({ name: "simulator", level: env.LOG_LEVEL });

try {
  const sim = await startSimulator({ ...options, logger: env.SIM_LOG_REQUESTS === "true" });
  process.stdout.write(
    `Bland + Convoso simulator on ${sim.url} (history: ${options.historyCalls} calls ${options.historyFrom} → ${options.historyTo}); control API at ${sim.url}/_sim/stats\n`,
  );
  stopOnSignals({ name: "simulator", log, timeoutMs: 10_000, stop: () => sim.close() });
} catch (error) {
  if (error instanceof InvalidSimulatorConfig) {
    process.stderr.write(`SIM_CONFIG: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
