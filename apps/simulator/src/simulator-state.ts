import { EventEmitter } from "node:events";
import type { SimCall } from "./call-object.ts";
import { ConvosoStore } from "./convoso-store.ts";
import { createHistory, type History } from "./history.ts";
import type { Outcome } from "./outcomes.ts";
import { createRng, type Rng } from "./prng.ts";
import { RequestLog } from "./request-log.ts";
import {
  type FaultName,
  parseSimulatorConfig,
  type SimulatorConfig,
  type SimulatorConfigInput,
} from "./simulator-config.ts";
import { Timers } from "./timers.ts";
import { ViolationTracker } from "./violations.ts";

/** Fixed at start (env or startSimulator options); the runtime knobs live in `config`. */
export interface SimulatorOptions {
  port: number;
  host: string;
  blandApiKey: string;
  webhookSecret: string;
  convosoToken: string;
  seed: number;
  historyCalls: number;
  historyFrom: string;
  historyTo: string;
  requestLogSize: number;
  config: SimulatorConfigInput;
}

/** A call placed through POST /v1/calls. */
export interface LiveCall {
  call: SimCall;
  webhook: string | null;
  answeredByEnabled: boolean;
  ended: boolean;
}

export interface WebhookCounters {
  /** Deliveries attempted (a duplicate counts twice, retries do not). */
  sent: number;
  delivered: number;
  failed: number;
  duplicated: number;
  dropped: number;
  pending: number;
}

/** A webhook waiting to be sent (held by the out-of-order fault) or being sent. */
export interface WebhookDelivery {
  url: string;
  callId: string;
  body: string;
  generation: number;
}

export interface SimulatorEvents {
  "call-placed": [call: SimCall];
  "call-ended": [call: SimCall, outcome: Outcome];
  "webhook-delivered": [callId: string, status: number];
  "webhook-failed": [callId: string, reason: string];
  "webhook-dropped": [callId: string];
}

export interface SimulatorState {
  readonly options: Readonly<SimulatorOptions>;
  config: SimulatorConfig;
  readonly history: History;
  readonly calls: Map<string, LiveCall>;
  inProgress: number;
  placed: number;
  completed: number;
  rejected: number;
  readonly requestCounts: Map<string, Map<string, number>>;
  readonly faultsFired: Partial<Record<FaultName, number>>;
  webhooks: WebhookCounters;
  readonly heldWebhooks: WebhookDelivery[];
  requests: RequestLog;
  violations: ViolationTracker;
  convoso: ConvosoStore;
  readonly events: EventEmitter<SimulatorEvents>;
  readonly timers: Timers;
  rng: Rng;
}

export function createSimulatorState(options: SimulatorOptions): SimulatorState {
  const history = createHistory({
    seed: options.seed,
    count: options.historyCalls,
    fromMs: Date.parse(options.historyFrom),
    toMs: Date.parse(options.historyTo),
  });
  return {
    options: Object.freeze({ ...options }),
    config: parseSimulatorConfig(options.config),
    history,
    calls: new Map(),
    inProgress: 0,
    placed: 0,
    completed: 0,
    rejected: 0,
    requestCounts: new Map(),
    faultsFired: {},
    webhooks: emptyWebhookCounters(),
    heldWebhooks: [],
    requests: new RequestLog(options.requestLogSize),
    violations: new ViolationTracker(),
    convoso: new ConvosoStore(history, options.seed),
    events: new EventEmitter<SimulatorEvents>(),
    timers: new Timers(),
    rng: createRng(options.seed),
  };
}

/** POST /_sim/reset: forget live calls, counters, requests, violations and Convoso changes; config back to start. */
export function resetSimulatorState(state: SimulatorState): void {
  state.timers.clearAll();
  state.config = parseSimulatorConfig(state.options.config);
  state.calls.clear();
  state.inProgress = 0;
  state.placed = 0;
  state.completed = 0;
  state.rejected = 0;
  state.requestCounts.clear();
  for (const key of Object.keys(state.faultsFired)) delete state.faultsFired[key as FaultName];
  state.webhooks = emptyWebhookCounters();
  state.heldWebhooks.length = 0;
  state.requests = new RequestLog(state.options.requestLogSize);
  state.violations = new ViolationTracker();
  state.convoso = new ConvosoStore(state.history, state.options.seed);
  state.rng = createRng(state.options.seed);
}

/** Whether fault `name` fires now: first its `next` budget, then its probability. Counted in stats. */
export function faultFires(state: SimulatorState, name: FaultName): boolean {
  const spec = state.config.faults[name];
  let fires = false;
  if (spec.next > 0) {
    spec.next--;
    fires = true;
  } else if (spec.probability > 0) {
    fires = state.rng() < spec.probability;
  }
  if (fires) state.faultsFired[name] = (state.faultsFired[name] ?? 0) + 1;
  return fires;
}

export function countRequest(state: SimulatorState, route: string, status: number | "aborted"): void {
  let byStatus = state.requestCounts.get(route);
  if (byStatus === undefined) {
    byStatus = new Map();
    state.requestCounts.set(route, byStatus);
  }
  byStatus.set(String(status), (byStatus.get(String(status)) ?? 0) + 1);
}

function emptyWebhookCounters(): WebhookCounters {
  return { sent: 0, delivered: 0, failed: 0, duplicated: 0, dropped: 0, pending: 0 };
}
