import { loadConfig } from "@redial/config";
import { startSimulator } from "./index.ts";
import { InvalidSimulatorConfig } from "./simulator-config.ts";
import { optionsFromEnv, simulatorEnvSchema } from "./simulator-env.ts";

const env = loadConfig(simulatorEnvSchema);
const options = optionsFromEnv(env);

try {
  const sim = await startSimulator({ ...options, logger: env.SIM_LOG_REQUESTS === "true" });
  process.stdout.write(
    `Bland + Convoso simulator on ${sim.url} (history: ${options.historyCalls} calls ${options.historyFrom} → ${options.historyTo}); control API at ${sim.url}/_sim/stats\n`,
  );
  const stop = async () => {
    await sim.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (error) {
  if (error instanceof InvalidSimulatorConfig) {
    process.stderr.write(`SIM_CONFIG: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
