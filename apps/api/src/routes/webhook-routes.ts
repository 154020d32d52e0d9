import {
  applyBlandDelivery,
  BlandDeliveryApplier,
  BlandEventBatcher,
  type RecordedCallResult,
  type RedialContext,
  singleEventStore,
  storeBlandDelivery,
} from "@redial/services";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { blandSignature, type FailedAuthGuard } from "../auth.ts";
import { blandCallBody, parseBlandCall } from "../bland-call-body.ts";
import { BODY_LIMITS } from "../edge-limits.ts";

export interface BlandWebhookOptions {
  blandSecret: string;
  guard: FailedAuthGuard;
  /** The route's rate limit per client IP (`@fastify/rate-limit` route config); false = none. */
  rateLimit: { max: number; timeWindow: number } | false;
  /**
   * WEBHOOK_GROUP_COMMIT (default true): deliveries arriving together are stored in one statement
   * and one commit (BlandEventBatcher), each answered after that commit; false: one commit each.
   */
  groupCommit?: boolean;
  /**
   * WEBHOOK_APPLY_AFTER_ANSWER (default false): answer `stored` once the event is durable and apply
   * its result right after (BlandDeliveryApplier); false: apply it first and answer with it.
   */
  applyAfterAnswer?: boolean;
}

/** Results applied at once after the answer, and how many may wait (past it: left to the pending cron). */
const AFTER_ANSWER = { concurrency: 6, maxWaiting: 10_000 };

/** Deliveries per group commit at most, and group commits running at once (each holds a pool connection). */
const GROUP_COMMIT = { maxBatch: 100, maxInFlight: 2 };

export function webhookRoutes(app: FastifyInstance, ctx: RedialContext, options: BlandWebhookOptions): void {
  const signature = blandSignature(options.blandSecret, options.guard);
  const store =
    options.groupCommit === false ? singleEventStore(ctx.db) : new BlandEventBatcher(ctx.db, GROUP_COMMIT);
  const applier = options.applyAfterAnswer ? new BlandDeliveryApplier(ctx, AFTER_ANSWER) : undefined;
  if (applier) app.addHook("onClose", async () => applier.drained());
  app.post(
    "/v1/webhooks/bland",
    {
      bodyLimit: BODY_LIMITS.blandWebhook,
      onRequest: signature.header,
      preHandler: signature.verified,
      // The raw event is stored whole: text PostgreSQL cannot store is stripped, not refused.
      config: { bodyText: "strip", verifyBody: signature.verifyBody, rateLimit: options.rateLimit },
      schema: {
        tags: ["webhooks"],
        summary: "Bland call-ended webhook (X-Webhook-Signature: HMAC-SHA256 hex of the raw body)",
        security: [{ blandSignature: [] }],
        body: z.toJSONSchema(blandCallBody, { io: "input" }),
      },
    },
    async (request, reply) => {
      const call = parseBlandCall(request.body);
      // The event is stored (or a redelivery of the same bytes counted) and ended with its result:
      // before the answer, or right after it.
      const stored = await storeBlandDelivery(ctx, call, request.rawBody, store);
      let result: Pick<RecordedCallResult, "callId" | "outcome" | "outcomeReason"> & { status: string };
      if (applier && !stored.done) {
        applier.enqueue(stored);
        result = { status: "stored", callId: stored.callId };
      } else result = await applyBlandDelivery(ctx, stored);
      if (result.status === "unknown_call")
        request.log.warn({ callId: result.callId }, "webhook for an unknown call stored");
      return reply.status(200).send({
        received: true,
        result: result.status,
        call_id: result.callId,
        outcome: result.outcome ?? null,
        outcome_reason: result.outcomeReason ?? null,
      });
    },
  );
}
