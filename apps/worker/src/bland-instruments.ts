import { type BlandClient, BlandError } from "@redial/bland";
import type { Logger } from "@redial/config";
import { maskPhone } from "@redial/domain";
import type { WorkerMetrics } from "@redial/metrics";
import type { Dialer } from "@redial/services";

/** The Bland client with every request timed and every failure counted by its kind. */
export function instrumentBlandClient(client: BlandClient, metrics: WorkerMetrics): BlandClient {
  const timed =
    <A extends unknown[], R>(operation: string, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const stop = metrics.blandRequestSeconds.startTimer({ operation });
      try {
        const result = await call(...args);
        stop({ outcome: "ok" });
        return result;
      } catch (error) {
        const kind = error instanceof BlandError ? error.code : "unexpected";
        stop({ outcome: kind });
        metrics.blandErrors.inc({ operation, kind });
        throw error;
      }
    };
  return {
    createCall: timed("create_call", (request) => client.createCall(request)),
    getCall: timed("get_call", (callId) => client.getCall(callId)),
    listCalls: timed("list_calls", (query) => client.listCalls(query)),
    iterateCalls: (query) => client.iterateCalls(query),
  };
}

/**
 * The dialer with one structured log line per dial request: lead, attempt, call id or failure kind
 * and reason, the phone masked to its last four digits; placed and failed dials counted.
 */
export function loggingDialer(dialer: Dialer, log: Logger, metrics: WorkerMetrics): Dialer {
  return {
    ...dialer,
    async place(request) {
      const line = {
        lead_id: request.leadId,
        attempt_id: request.attemptId,
        phone: maskPhone(request.phone),
      };
      try {
        const placed = await dialer.place(request);
        metrics.dialsPlaced.inc();
        log.info({ event: "dial", ...line, call_id: placed.callId, outcome: "placed" }, "dial placed");
        return placed;
      } catch (error) {
        const failure = dialer.classify(error);
        const reason = error instanceof BlandError ? error.code : failure.kind;
        metrics.dialsFailed.inc({ reason });
        log.warn(
          { event: "dial", ...line, call_id: null, outcome: failure.kind, reason: failure.message },
          "dial request failed",
        );
        throw error;
      }
    },
  };
}
