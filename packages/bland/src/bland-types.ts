/**
 * Bland AI call API shapes, as documented in docs.bland.ai (api-v1 calls) and seen in production.
 * Fields Bland may omit or send with another type are optional and nullable.
 */

export interface BlandClientOptions {
  /** e.g. https://api.bland.ai or the simulator's URL; no trailing /v1. */
  baseUrl: string;
  apiKey: string;
  /** Per-request timeout; default 15000. */
  timeoutMs?: number;
  /** How many times a read (getCall, listCalls) is retried on 429/5xx/network errors; default 3. */
  readRetries?: number;
  /** First backoff delay for read retries, doubled each time; default 250. */
  readRetryBaseMs?: number;
}

export interface VoicemailOptions {
  message?: string;
  action?: "hangup" | "leave_message" | "ignore";
}

export interface CreateCallRequest {
  phone_number: string;
  pathway_id?: string;
  task?: string;
  from?: string;
  metadata: Record<string, unknown>;
  webhook: string;
  max_duration?: number;
  answered_by_enabled?: boolean;
  request_data?: Record<string, unknown>;
  voicemail?: VoicemailOptions;
}

export type PathwayTag = string | { name?: string };

export interface BlandCall {
  call_id: string;
  to: string;
  from?: string | null;
  created_at: string;
  started_at?: string | null;
  end_at?: string | null;
  call_length?: number | null;
  corrected_duration?: number | string | null;
  status?: string | null;
  queue_status?: string | null;
  completed?: boolean | null;
  answered_by?: string | null;
  error_message?: string | null;
  price?: number | null;
  metadata?: Record<string, unknown> | null;
  variables?: Record<string, unknown> | null;
  pathway_tags?: PathwayTag[] | null;
  disposition_tag?: string | null;
  transferred_to?: string | null;
  warm_transfer_call?: { state?: string } | null;
  summary?: string | null;
  [k: string]: unknown;
}

export interface CallListItem {
  call_id: string;
  created_at: string;
  call_length?: number | null;
  to: string;
  from?: string | null;
  completed?: boolean | null;
  queue_status?: string | null;
  error_message?: string | null;
  answered_by?: string | null;
  batch_id?: string | null;
}

export interface ListCallsQuery {
  /** Inclusive lower bound on created_at (ISO date or date-time). */
  startDate?: string;
  /** Exclusive upper bound on created_at. */
  endDate?: string;
  toNumber?: string;
  limit?: number;
  /** Start index (not a date). */
  from?: number;
  /** End index (not a date). */
  to?: number;
  ascending?: boolean;
}

export interface ListCallsResult {
  count: number;
  calls: CallListItem[];
}

export interface IterateCallsQuery {
  startDate: string;
  endDate: string;
  /** Width of one date window; default 24. */
  windowHours?: number;
  /** Calls asked for per request; default 1000. */
  pageSize?: number;
}

export interface BlandClient {
  createCall(req: CreateCallRequest): Promise<{ callId: string }>;
  getCall(callId: string): Promise<BlandCall>;
  listCalls(q: ListCallsQuery): Promise<ListCallsResult>;
  iterateCalls(q: IterateCallsQuery): AsyncGenerator<CallListItem>;
}
