import type { AddressInfo } from "node:net";
import { DEFAULT_SIMULATOR_OPTIONS } from "./simulator-env.ts";
import { buildSimulatorServer } from "./simulator-server.ts";
import { createSimulatorState, type SimulatorOptions, type SimulatorState } from "./simulator-state.ts";

export type { SimCall } from "./call-object.ts";
export { noonOffsetSeconds, OPEN_CALENDAR } from "./drill-calendar.ts";
export { CALLS_PER_PHONE, historyCallId } from "./history.ts";
export { DEFAULT_OUTCOME_WEIGHTS, OUTCOME_TAGS, OUTCOMES, type Outcome } from "./outcomes.ts";
export { historyPhone } from "./phone-numbers.ts";
export type { SimulatorConfig, SimulatorConfigInput } from "./simulator-config.ts";
export { InvalidSimulatorConfig } from "./simulator-config.ts";
export {
  DEFAULT_SIMULATOR_OPTIONS,
  optionsFromEnv,
  type SimulatorEnv,
  simulatorEnvSchema,
} from "./simulator-env.ts";
export type { SimulatorOptions, SimulatorState } from "./simulator-state.ts";

export interface RunningSimulator {
  /** e.g. http://127.0.0.1:4010 — Bland's base URL and Convoso's (paths under /v1). */
  url: string;
  close(): Promise<void>;
  state: SimulatorState;
}

/** Starts the simulator; tests pass `{ port: 0 }` (the default here) and read `url`. */
export async function startSimulator(
  opts: Partial<SimulatorOptions> & { logger?: boolean } = {},
): Promise<RunningSimulator> {
  const { logger, ...rest } = opts;
  const options: SimulatorOptions = { ...DEFAULT_SIMULATOR_OPTIONS, port: 0, ...rest };
  const state = createSimulatorState(options);
  const app = buildSimulatorServer(state, { logger: logger ?? false });
  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address() as AddressInfo;
  return {
    url: `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${address.port}`,
    state,
    close: async () => {
      state.timers.clearAll();
      await app.close();
    },
  };
}
