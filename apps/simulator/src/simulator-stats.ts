import type { SimulatorState } from "./simulator-state.ts";

/** GET /_sim/stats: counters and the violations seen so far. */
export function simulatorStats(state: SimulatorState) {
  const requests: Record<string, Record<string, number>> = {};
  for (const [route, byStatus] of state.requestCounts) requests[route] = Object.fromEntries(byStatus);
  return {
    requests,
    calls: {
      placed: state.placed,
      inProgress: state.inProgress,
      completed: state.completed,
      rejectedByCaps: state.rejected,
      placedLastHour: state.violations.placedInLastHour(Date.now()),
    },
    webhooks: { ...state.webhooks },
    faultsFired: { ...state.faultsFired },
    violations: {
      total: Object.values(state.violations.counts).reduce((a, b) => a + b, 0),
      counts: { ...state.violations.counts },
      recent: state.violations.recent.slice(-100),
    },
    history: { calls: state.history.count, phones: state.history.phoneCount },
  };
}
