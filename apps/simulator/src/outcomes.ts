import { between, pick, type Rng } from "./prng.ts";

/** What a simulated call ends as; each maps to a realistic combination of Bland call fields. */
export const OUTCOMES = [
  "sale",
  "dnc",
  "transferred",
  "callback",
  "voicemail",
  "no_answer",
  "busy",
  "not_interested",
  "failed_bad_number",
  /** A spoken opt-out only: the lead says it, no tag or disposition records it. */
  "dnc_spoken",
] as const;

export type Outcome = (typeof OUTCOMES)[number];

export const DEFAULT_OUTCOME_WEIGHTS: Readonly<Record<Outcome, number>> = {
  sale: 5,
  dnc: 4,
  transferred: 4,
  callback: 7,
  voicemail: 25,
  no_answer: 25,
  busy: 8,
  not_interested: 17,
  failed_bad_number: 5,
  dnc_spoken: 0,
};

/** The pathway tag each answered outcome sets (what production pathways write). */
export const OUTCOME_TAGS: Readonly<Partial<Record<Outcome, string>>> = {
  sale: "SALE",
  dnc: "DNC",
  transferred: "TRANSFERRED",
  callback: "CALLBACK",
  not_interested: "NOT_INTERESTED",
  voicemail: "VOICEMAIL",
};

export interface EndedFields {
  status: string;
  queue_status: string;
  completed: true;
  answered_by: string | null;
  call_ended_by: string | null;
  call_length: number;
  corrected_duration: number | string;
  price: number;
  error_message: string | null;
  summary: string | null;
  pathway_tags: Array<string | { name: string }>;
  disposition_tag: string | null;
  transferred_to: string | null;
  transferred_at: string | null;
  warm_transfer_call: { state: string } | null;
  variables: Record<string, unknown>;
  /** what the lead said (the transcript's user turn) */
  utterance: string | null;
}

interface Shape {
  status: string;
  answeredBy: "human" | "voicemail" | "no-answer" | "unknown" | null;
  minutes: [number, number];
  summary: string | null;
}

function shapeOf(outcome: Outcome): Shape {
  switch (outcome) {
    case "sale":
      return {
        status: "completed",
        answeredBy: "human",
        minutes: [4, 14],
        summary: "The customer agreed to buy.",
      };
    case "dnc":
      return {
        status: "completed",
        answeredBy: "human",
        minutes: [0.2, 1],
        summary: "Asked not to be called again.",
      };
    case "transferred":
      return {
        status: "completed",
        answeredBy: "human",
        minutes: [2, 9],
        summary: "Warm transfer to an agent.",
      };
    case "callback":
      return {
        status: "completed",
        answeredBy: "human",
        minutes: [0.5, 3],
        summary: "Asked to be called back later.",
      };
    case "voicemail":
      return {
        status: "completed",
        answeredBy: "voicemail",
        minutes: [0.3, 1.2],
        summary: "Reached voicemail.",
      };
    case "no_answer":
      return { status: "no-answer", answeredBy: "no-answer", minutes: [0, 0], summary: null };
    case "busy":
      return { status: "busy", answeredBy: "unknown", minutes: [0, 0], summary: null };
    case "not_interested":
      return { status: "completed", answeredBy: "human", minutes: [0.4, 2.5], summary: "Not interested." };
    case "failed_bad_number":
      return { status: "failed", answeredBy: null, minutes: [0, 0], summary: null };
    case "dnc_spoken":
      return {
        status: "completed",
        answeredBy: "human",
        minutes: [0.2, 1],
        summary: "The customer was not interested and ended the call.",
      };
    default: {
      const unknown: never = outcome;
      throw new RangeError(`Unknown outcome ${String(unknown)}`);
    }
  }
}

export interface EndContext {
  rng: Rng;
  endAt: Date;
  /** Bland only fills answered_by when the request turned answer detection on. */
  answeredByEnabled: boolean;
}

/** The fields Bland sets when a call ends as `outcome`. */
export function endedFields(outcome: Outcome, ctx: EndContext): EndedFields {
  const { rng, endAt } = ctx;
  const shape = shapeOf(outcome);
  const minutes = round(between(rng, shape.minutes[0], shape.minutes[1]), 3);
  const seconds = Math.round(minutes * 60);
  const tag = OUTCOME_TAGS[outcome];
  const transferred = outcome === "transferred";
  return {
    status: shape.status,
    queue_status: outcome === "failed_bad_number" ? "call_error" : "complete",
    completed: true,
    answered_by: ctx.answeredByEnabled ? shape.answeredBy : null,
    call_ended_by: minutes > 0 ? pick(rng, ["ASSISTANT", "USER"]) : null,
    call_length: minutes,
    corrected_duration: rng() < 0.3 ? String(seconds) : seconds,
    price: round(Math.max(0.015, minutes * 0.09), 4),
    error_message: outcome === "failed_bad_number" ? "Number not in service" : null,
    summary: shape.summary,
    pathway_tags: tag === undefined ? [] : [rng() < 0.5 ? tag : { name: tag }],
    disposition_tag: tag !== undefined && rng() < 0.5 ? tag : null,
    transferred_to: transferred ? "+18005550199" : null,
    transferred_at: transferred ? new Date(endAt.getTime() - seconds * 500).toISOString() : null,
    warm_transfer_call: transferred ? { state: "MERGED" } : null,
    variables: outcome === "callback" ? { callback_time: callbackTime(rng, endAt) } : {},
    utterance: UTTERANCES[outcome] ?? null,
  };
}

const UTTERANCES: Partial<Record<Outcome, string>> = {
  dnc: "Please stop calling me.",
  dnc_spoken: "Stop calling me. Take me off your list.",
  sale: "Yes, sign me up.",
  callback: "Can you call me back later?",
  not_interested: "I'm not interested.",
};

function callbackTime(rng: Rng, endAt: Date): string {
  const minutesAhead = Math.round(between(rng, 15, 240));
  return new Date(endAt.getTime() + minutesAhead * 60_000).toISOString();
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
