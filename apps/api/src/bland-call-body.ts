import type { BlandCall } from "@redial/domain";
import { z } from "zod";
import { BadRequest } from "./errors.ts";

/** Bland's call ids are UUIDs; anything far longer is not one. */
const CALL_ID_MAX = 128;

const text = z.string().nullish();
const count = z.union([z.number(), z.string().max(64)]).nullish();
const object = z.record(z.string(), z.unknown()).nullish();
const transfer = z.looseObject({ state: text });

/**
 * The fields of Bland's call object that the service reads (shared/reference/bland-api.md; the
 * domain's CallResult), with the types it relies on; any other field is kept as sent. A signed body whose known fields have
 * other types (a `status` that is an array) is refused with 400 naming the field, before it is
 * stored: Bland does not send such bodies, and the service must not meet one.
 */
export const blandCallBody = z.looseObject({
  call_id: z.string().max(CALL_ID_MAX, `at most ${CALL_ID_MAX} characters: a Bland call id`).nullish(),
  c_id: z.string().max(CALL_ID_MAX, `at most ${CALL_ID_MAX} characters: a Bland call id`).nullish(),
  completed: z.boolean().nullish(),
  status: text,
  queue_status: text,
  answered_by: text,
  call_length: count,
  corrected_duration: count,
  price: count,
  error_message: text,
  disposition_tag: text,
  outcome: text,
  transferred_to: text,
  end_at: text,
  summary: text,
  concatenated_transcript: text,
  transferred_at: text,
  inbound: z.boolean().nullish(),
  from: text,
  to: text,
  pathway_tags: z.array(z.union([z.string(), z.record(z.string(), z.unknown()), z.null()])).nullish(),
  transcripts: z.array(z.unknown()).nullish(),
  variables: object,
  metadata: object,
  warm_transfer_call: transfer.nullish(),
  warm_transfer_calls: z.array(transfer.nullable()).nullish(),
});

/** The body as a Bland call object, or BadRequest naming each field of the wrong type. */
export function parseBlandCall(body: unknown): BlandCall {
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw new BadRequest("The webhook body must be a Bland call object.");
  const parsed = blandCallBody.safeParse(body);
  if (!parsed.success)
    throw new BadRequest(
      parsed.error.issues
        .map((issue) => `${issue.path.join(".") || "body"}: ${lengthOf(body, issue.path) ?? issue.message}`)
        .join("; "),
    );
  // The body itself, not zod's copy: the event is stored as it was sent (cleaned of NULs).
  return body as BlandCall;
}

function lengthOf(body: object, path: PropertyKey[]): string | undefined {
  const value =
    path.length === 1 ? (body as Record<PropertyKey, unknown>)[path[0] as PropertyKey] : undefined;
  return typeof value === "string" && value.length > CALL_ID_MAX
    ? `${value.length} characters; a Bland call id has at most ${CALL_ID_MAX}.`
    : undefined;
}
