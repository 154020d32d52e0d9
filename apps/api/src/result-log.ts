import { maskPhone, normalizePhone } from "@redial/domain";
import type { ApiMetrics } from "@redial/metrics";
import type { FastifyInstance } from "fastify";

/**
 * One structured line and one count per Bland call result, read from the webhook's answer and the
 * call object it carried (lead and attempt ids are the metadata we dialed with; the phone is masked
 * to its last four digits). Outside the result path itself: it only reads what that path answered.
 */
export function observeCallResults(app: FastifyInstance, metrics: ApiMetrics): void {
  app.addHook("onSend", async (request, reply, payload) => {
    if (request.routeOptions.url !== "/v1/webhooks/bland" || reply.statusCode !== 200) return payload;
    if (typeof payload !== "string") return payload;
    const answer = parse(payload);
    if (!answer) return payload;
    const call = (request.body ?? {}) as { metadata?: Record<string, unknown> | null; to?: unknown };
    const outcome = typeof answer.outcome === "string" ? answer.outcome : null;
    const result = typeof answer.result === "string" ? answer.result : "unknown";
    metrics.callResults.inc({ result, outcome: outcome ?? "none" });
    const phone = typeof call.to === "string" ? normalizePhone(call.to) : null;
    request.log.info(
      {
        event: "result",
        lead_id: numberOrNull(call.metadata?.lead_id),
        attempt_id: numberOrNull(call.metadata?.attempt_id),
        call_id: answer.call_id ?? null,
        result,
        outcome,
        reason: typeof answer.outcome_reason === "string" ? answer.outcome_reason : null,
        phone: phone ? maskPhone(phone) : null,
      },
      "call result",
    );
    return payload;
  });
}

function parse(payload: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(payload) as unknown;
    return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function numberOrNull(value: unknown): number | null {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}
