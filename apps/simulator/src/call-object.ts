import type { EndedFields } from "./outcomes.ts";

/** The call object as GET /v1/calls/:id and the webhook carry it (Bland's field names). */
export interface SimCall {
  call_id: string;
  c_id: string;
  batch_id: string | null;
  to: string;
  from: string | null;
  inbound: boolean;
  created_at: string;
  started_at: string | null;
  end_at: string | null;
  call_length: number | null;
  corrected_duration: number | string | null;
  max_duration: number;
  status: string | null;
  queue_status: string;
  completed: boolean;
  answered_by: string | null;
  call_ended_by: string | null;
  error_message: string | null;
  summary: string | null;
  price: number | null;
  variables: Record<string, unknown>;
  metadata: Record<string, unknown>;
  request_data: Record<string, unknown>;
  recording_url: string | null;
  concatenated_transcript: string;
  transcripts: unknown[];
  analysis: unknown;
  pathway_id: string | null;
  pathway_tags: Array<string | { name: string }>;
  disposition_tag: string | null;
  transferred_to: string | null;
  transferred_at: string | null;
  warm_transfer_call: { state: string } | null;
}

export interface NewCall {
  callId: string;
  to: string;
  from: string | null;
  createdAt: Date;
  maxDuration: number;
  metadata: Record<string, unknown>;
  requestData: Record<string, unknown>;
  pathwayId: string | null;
}

/** A call that has just been placed: started, not completed, no status yet. */
export function startedCall(c: NewCall): SimCall {
  return {
    call_id: c.callId,
    c_id: c.callId,
    batch_id: null,
    to: c.to,
    from: c.from,
    inbound: false,
    created_at: c.createdAt.toISOString(),
    started_at: c.createdAt.toISOString(),
    end_at: null,
    call_length: null,
    corrected_duration: null,
    max_duration: c.maxDuration,
    status: null,
    queue_status: "started",
    completed: false,
    answered_by: null,
    call_ended_by: null,
    error_message: null,
    summary: null,
    price: null,
    variables: {},
    metadata: c.metadata,
    request_data: c.requestData,
    recording_url: null,
    concatenated_transcript: "",
    transcripts: [],
    analysis: null,
    pathway_id: c.pathwayId,
    pathway_tags: [],
    disposition_tag: null,
    transferred_to: null,
    transferred_at: null,
    warm_transfer_call: null,
  };
}

/** The same call once it has ended with `fields`; system variables (city/state/zip) are kept. */
export function endedCall(
  call: SimCall,
  fields: EndedFields,
  endAt: Date,
  system: Record<string, unknown>,
): SimCall {
  const answered = fields.call_length > 0;
  const { utterance, ...callFields } = fields;
  const said = utterance ?? fields.summary ?? "…";
  const turns = [
    { user: "assistant", text: "Hello! This is the benefits line calling about your request." },
    { user: "user", text: said },
  ];
  return {
    ...call,
    ...callFields,
    end_at: endAt.toISOString(),
    variables: { ...system, ...fields.variables },
    recording_url: answered ? `https://recordings.example/${call.call_id}.mp3` : null,
    concatenated_transcript: answered ? turns.map((t) => `${t.user}: ${t.text}`).join(" \n ") : "",
    transcripts: answered ? turns.map((t, i) => ({ id: i + 1, created_at: endAt.toISOString(), ...t })) : [],
  };
}

/** The short form GET /v1/calls lists. */
export function listItem(call: SimCall) {
  return {
    call_id: call.call_id,
    created_at: call.created_at,
    call_length: call.call_length,
    to: call.to,
    from: call.from,
    completed: call.completed,
    queue_status: call.queue_status,
    error_message: call.error_message,
    answered_by: call.answered_by,
    batch_id: call.batch_id,
  };
}

export type CallListItem = ReturnType<typeof listItem>;
