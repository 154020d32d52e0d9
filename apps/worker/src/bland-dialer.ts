import { type BlandClient, BlandError } from "@redial/bland";
import type { BlandCall } from "@redial/domain";
import type { Dialer, DialFailure } from "@redial/services";
import type Bottleneck from "bottleneck";

export interface BlandDialerOptions {
  client: BlandClient;
  /** Paces every request to Bland (shared across processes through Redis when configured). */
  limiter: Bottleneck;
  webhookUrl: string;
  pathwayId?: string | undefined;
  task?: string | undefined;
  from?: string | undefined;
  maxDurationMinutes: number;
}

/** How many of a number's newest calls are looked at for a dial's own (by its metadata). */
const NEWEST_CALLS = 10;

/** The Dialer the dial use case needs, made of the Bland client and the request limiter. */
export function createBlandDialer(options: BlandDialerOptions): Dialer {
  const { client, limiter } = options;
  return {
    async place({ leadId, attemptId, phone, beforeSend }) {
      return limiter.schedule(async () => {
        // After the limiter's wait, which may be long when the fleet is busy.
        await beforeSend?.();
        return client.createCall({
          phone_number: phone,
          ...(options.pathwayId ? { pathway_id: options.pathwayId } : { task: options.task ?? "" }),
          ...(options.from ? { from: options.from } : {}),
          metadata: { lead_id: leadId, attempt_id: attemptId },
          webhook: options.webhookUrl,
          max_duration: options.maxDurationMinutes,
          answered_by_enabled: true,
        });
      });
    },
    async findPlacedCall({ attemptId, phone, since }) {
      // The newest calls to the number from the day before the dial on (Bland lists newest first):
      // the dial is our latest to it, so its call is among them. No finer time filter: Bland's
      // created_at is on Bland's clock, not ours. Each candidate's metadata names its attempt.
      const { calls } = await limiter.schedule(() =>
        client.listCalls({
          toNumber: phone,
          startDate: new Date(since.getTime() - 86_400_000).toISOString().slice(0, 10),
          limit: NEWEST_CALLS,
          ascending: false,
        }),
      );
      for (const candidate of calls) {
        const call = await limiter.schedule(() => client.getCall(candidate.call_id));
        if (Number(call.metadata?.attempt_id) === attemptId) return call.call_id;
      }
      return undefined;
    },
    async getCall(callId) {
      try {
        return (await limiter.schedule(() => client.getCall(callId))) as BlandCall;
      } catch (error) {
        if (error instanceof BlandError && error.code === "not_found") return undefined;
        throw error;
      }
    },
    classify: classifyDialError,
  };
}

/** 429 and refused connections never placed a call; 5xx and timeouts might have. */
export function classifyDialError(error: unknown): DialFailure {
  if (!(error instanceof BlandError))
    return { kind: "ambiguous", message: error instanceof Error ? error.message : String(error) };
  switch (error.code) {
    case "rate_limited":
      return { kind: "retry", afterMs: error.retryAfterMs ?? 2_000, message: error.message };
    case "not_placed":
      return { kind: "retry", afterMs: 1_000, message: error.message };
    case "ambiguous":
      return { kind: "ambiguous", message: error.message };
    case "rejected":
    case "unauthorized":
    case "not_found":
      return { kind: "not_placed", message: error.message };
    default:
      return { kind: "ambiguous", message: error.message };
  }
}
