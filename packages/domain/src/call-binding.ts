/** An attempt of ours as found for a call: by the call's id, or by the attempt id in its metadata. */
export interface AttemptRef {
  id: number;
  blandCallId: string | null;
}

/** Which attempt a Bland call's result belongs to. */
export type CallBinding =
  | { kind: "bound"; attemptId: number }
  /** No call_id: a result is never bound by its metadata alone. */
  | { kind: "unbound"; reason: string }
  /** The call_id and the attempt named in the metadata disagree. */
  | { kind: "conflict"; reason: string }
  /** No attempt of ours: a call we never placed (e.g. inbound). */
  | { kind: "unknown_call" };

/**
 * A result is applied only to the attempt its `call_id` belongs to; `metadata.attempt_id` is a
 * cross-check, never enough alone. A call_id we never stored binds to the attempt the metadata
 * names only when that attempt has no call id yet (its webhook arrived before Bland's answer to
 * our request was stored).
 */
export function bindCall(
  call: { callId: string | null; attemptId: number | null },
  found: { byCallId: AttemptRef | undefined; named: AttemptRef | undefined },
): CallBinding {
  const { callId, attemptId } = call;
  if (callId === null)
    return { kind: "unbound", reason: "no call_id: a result is bound to its attempt by its call_id" };
  const { byCallId, named } = found;
  if (byCallId) {
    if (attemptId === null || attemptId === byCallId.id) return { kind: "bound", attemptId: byCallId.id };
    return {
      kind: "conflict",
      reason: `call ${callId} is attempt ${byCallId.id}'s, but its metadata names attempt ${attemptId}`,
    };
  }
  if (attemptId === null || !named) return { kind: "unknown_call" };
  if (named.blandCallId === null) return { kind: "bound", attemptId: named.id };
  return {
    kind: "conflict",
    reason: `the metadata names attempt ${named.id}, whose call is ${named.blandCallId}, not ${callId}`,
  };
}
