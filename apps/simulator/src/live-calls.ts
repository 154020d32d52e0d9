import { randomUUID } from "node:crypto";
import { endedCall, type SimCall, startedCall } from "./call-object.ts";
import { endedFields, type Outcome } from "./outcomes.ts";
import { weighted } from "./prng.ts";
import type { LiveCall, SimulatorState } from "./simulator-state.ts";
import { sendCallWebhook } from "./webhook-sender.ts";

export interface PlaceCallInput {
  to: string;
  from: string | null;
  webhook: string | null;
  metadata: Record<string, unknown>;
  requestData: Record<string, unknown>;
  pathwayId: string | null;
  maxDuration: number;
  answeredByEnabled: boolean;
}

/** Places a call: it is in progress at once and ends after the configured duration. */
export function placeCall(state: SimulatorState, input: PlaceCallInput): LiveCall {
  const now = Date.now();
  const call = startedCall({
    callId: randomUUID(),
    to: input.to,
    from: input.from,
    createdAt: new Date(now),
    maxDuration: input.maxDuration,
    metadata: input.metadata,
    requestData: input.requestData,
    pathwayId: input.pathwayId,
  });
  const live: LiveCall = {
    call,
    webhook: input.webhook,
    answeredByEnabled: input.answeredByEnabled,
    ended: false,
  };
  state.calls.set(call.call_id, live);
  state.violations.recordPlaced(input.to, now, state.config.minGapSeconds);
  state.placed++;
  state.inProgress++;
  const duration =
    state.config.callDurationMs + Math.floor(state.rng() * (state.config.callDurationJitterMs + 1));
  state.timers.after(duration, () => endCall(state, call.call_id));
  state.events.emit("call-placed", call);
  return live;
}

/** Ends a call now (idempotent): fills the outcome fields and sends the webhook. Undefined if unknown. */
export function endCall(state: SimulatorState, callId: string, forced?: Outcome): SimCall | undefined {
  const live = state.calls.get(callId);
  if (live === undefined) return undefined;
  if (live.ended) return live.call;
  const outcome = forced ?? chooseOutcome(state, live.call.to);
  const endAt = new Date();
  const fields = endedFields(outcome, { rng: state.rng, endAt, answeredByEnabled: live.answeredByEnabled });
  live.call = endedCall(live.call, fields, endAt, {});
  live.ended = true;
  state.inProgress--;
  state.completed++;
  state.events.emit("call-ended", live.call, outcome);
  if (live.webhook !== null) sendCallWebhook(state, live.webhook, live.call);
  return live.call;
}

function chooseOutcome(state: SimulatorState, phone: string): Outcome {
  const forced = state.config.outcomeByPhone[phone];
  if (forced !== undefined) return forced;
  const weights = state.config.outcomeWeights as Record<Outcome, number>;
  return weighted(state.rng, weights);
}
