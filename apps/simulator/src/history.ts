import { endedCall, type SimCall, startedCall } from "./call-object.ts";
import { DEFAULT_OUTCOME_WEIGHTS, endedFields, type Outcome } from "./outcomes.ts";
import { areaFor, historyPhone, historyPhoneIndex } from "./phone-numbers.ts";
import { hash32, rngFor, weighted } from "./prng.ts";

/** About this many history calls share one phone. */
export const CALLS_PER_PHONE = 5;
const SALT_CALL = 1;

export interface HistoryOptions {
  seed: number;
  count: number;
  fromMs: number;
  toMs: number;
}

/**
 * A past call history computed from the index alone: call i is created inside slot i of
 * [from, to) (so created_at never decreases with i), dials phone i mod phoneCount, and every
 * field comes from a PRNG seeded with i. Nothing is stored, so a million calls cost no memory.
 */
export interface History {
  readonly count: number;
  readonly phoneCount: number;
  createdAtMs(index: number): number;
  call(index: number): SimCall;
  outcome(index: number): Outcome;
  indexOfCallId(callId: string): number | undefined;
  /** The first index whose created_at is ≥ ms (count when none). */
  lowerBound(ms: number): number;
  phoneIndexOf(callIndex: number): number;
  phoneIndexOfNumber(phone: string): number | undefined;
  /** Ascending call indexes of one phone. */
  callsOfPhone(phoneIndex: number): number[];
}

export function createHistory(opts: HistoryOptions): History {
  const { seed, count, fromMs, toMs } = opts;
  const slotMs = count > 0 ? (toMs - fromMs) / count : 0;
  const phoneCount = Math.max(1, Math.ceil(count / CALLS_PER_PHONE));
  const createdAtMs = (i: number) => fromMs + Math.floor((i + 0.9 * rngFor(seed, i, 7)()) * slotMs);
  const outcome = (i: number) => weighted(rngFor(seed, i, SALT_CALL), DEFAULT_OUTCOME_WEIGHTS);
  const history: History = {
    count,
    phoneCount,
    createdAtMs,
    outcome,
    call: (i) => historyCall(seed, i, createdAtMs(i), i % phoneCount, outcome(i)),
    indexOfCallId: (callId) => {
      const match = /-([0-9a-f]{12})$/.exec(callId);
      const index = match?.[1] === undefined ? -1 : Number.parseInt(match[1], 16);
      return index >= 0 && index < count && historyCallId(seed, index) === callId ? index : undefined;
    },
    lowerBound: (ms) => lowerBound(count, (i) => createdAtMs(i) >= ms),
    phoneIndexOf: (i) => i % phoneCount,
    phoneIndexOfNumber: (phone) => historyPhoneIndex(phone, phoneCount),
    callsOfPhone: (p) => {
      const out: number[] = [];
      for (let i = p; i < count; i += phoneCount) out.push(i);
      return out;
    },
  };
  return history;
}

/** The first i in [0, n) for which `isAfter` holds, given it is monotonic. */
function lowerBound(n: number, isAfter: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isAfter(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function historyCallId(seed: number, index: number): string {
  const h1 = hash32(seed, index, 11).toString(16).padStart(8, "0");
  const h2 = hash32(seed, index, 12).toString(16).padStart(8, "0");
  const variant = "89ab"[hash32(seed, index, 13) % 4];
  return `${h1}-${h2.slice(0, 4)}-4${h2.slice(4, 7)}-${variant}${h1.slice(0, 3)}-${index.toString(16).padStart(12, "0")}`;
}

/** The Convoso lead id the history call's metadata points at (see convoso-history-leads.ts). */
export function historyLeadId(phoneIndex: number): string {
  return String(1_000_000 + phoneIndex * 2);
}

function historyCall(
  seed: number,
  index: number,
  createdMs: number,
  phoneIndex: number,
  outcome: Outcome,
): SimCall {
  const rng = rngFor(seed, index, 2);
  const createdAt = new Date(createdMs);
  const callId = historyCallId(seed, index);
  const started = startedCall({
    callId,
    to: historyPhone(phoneIndex),
    from: "+18885550100",
    createdAt,
    maxDuration: 30,
    metadata: { source: "history", convoso_lead_id: historyLeadId(phoneIndex) },
    requestData: {},
    pathwayId: "pathway-history",
  });
  const fields = endedFields(outcome, { rng, endAt: createdAt, answeredByEnabled: true });
  const endAt = new Date(createdMs + 5000 + fields.call_length * 60_000);
  const area = areaFor(phoneIndex);
  return endedCall(started, fields, endAt, { state: area.state, zip: area.zip });
}
