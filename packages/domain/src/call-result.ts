/** One turn of Bland's `transcripts[]`: `user` is who spoke (user, assistant, robot, agent-action). */
export interface TranscriptTurn {
  id?: number | string | null;
  created_at?: string | null;
  text?: string | null;
  user?: string | null;
}

/**
 * A Bland call object (GET /v1/calls/:id) or call-ended webhook body, loosely typed: every field
 * may be missing or null (bland-api.md lists them).
 */
export interface CallResult {
  status?: string | null;
  answered_by?: string | null;
  /** minutes */
  call_length?: number | null;
  /** seconds, sometimes a string */
  corrected_duration?: number | string | null;
  error_message?: string | null;
  pathway_tags?: ReadonlyArray<string | { name?: string | null } | null> | null;
  disposition_tag?: string | null;
  variables?: Record<string, unknown> | null;
  /** answers to the call's analysis questions (flags and text, like variables) */
  analysis?: unknown;
  summary?: string | null;
  concatenated_transcript?: string | null;
  /** TranscriptTurn items; read defensively */
  transcripts?: ReadonlyArray<unknown> | null;
  warm_transfer_call?: { state?: string | null } | null;
  warm_transfer_calls?: ReadonlyArray<{ state?: string | null } | null> | null;
  transferred_to?: string | null;
  transferred_at?: string | null;
  /** an explicit outcome a client sends */
  outcome?: string | null;
  completed?: boolean | null;
  queue_status?: string | null;
  inbound?: boolean | null;
  from?: string | null;
  to?: string | null;
}

/**
 * THE one definition of "answered", used everywhere (reports included):
 * answered_by is "human" AND the call lasted at least `answeredMinSeconds`.
 */
export function isAnswered(
  input: { answeredBy: string | null | undefined; durationSeconds: number },
  answeredMinSeconds: number,
): boolean {
  return (
    (input.answeredBy ?? "").trim().toLowerCase() === "human" && input.durationSeconds >= answeredMinSeconds
  );
}

/** Seconds of talk: `corrected_duration` (seconds) when readable, else `call_length` (minutes) × 60. */
export function callDurationSeconds(result: CallResult): number {
  const corrected = Number(result.corrected_duration ?? Number.NaN);
  if (result.corrected_duration !== "" && Number.isFinite(corrected) && corrected >= 0)
    return Math.round(corrected);
  const minutes = result.call_length ?? Number.NaN;
  return Number.isFinite(minutes) && minutes >= 0 ? Math.round(minutes * 60) : 0;
}

const ENDED_STATUSES = new Set([
  "completed",
  "failed",
  "busy",
  "no-answer",
  "canceled",
  "cancelled",
  "error",
]);

/**
 * Whether Bland says the call is over: `completed: true`, an ended `status` (completed, failed,
 * busy, no-answer, canceled, error) or a finished `queue_status` (complete, *error). A webhook for a
 * live call changes nothing; `status: error` is over (FAILED), not a call left open.
 */
export function hasCallEnded(call: Pick<CallResult, "completed" | "status" | "queue_status">): boolean {
  if (call.completed === true) return true;
  if (ENDED_STATUSES.has((call.status ?? "").trim().toLowerCase())) return true;
  const queue = (call.queue_status ?? "").trim().toLowerCase();
  return queue === "complete" || queue === "completed" || queue.endsWith("error");
}
