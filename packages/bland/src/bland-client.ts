import { z } from "zod";
import { BlandError } from "./bland-error.ts";
import { createDispatcher, type HttpRequest, type HttpSettings, sendBlandRequest } from "./bland-http.ts";
import type {
  BlandCall,
  BlandClient,
  BlandClientOptions,
  CallListItem,
  CreateCallRequest,
  ListCallsQuery,
  ListCallsResult,
} from "./bland-types.ts";
import { iterateCallWindows } from "./iterate-calls.ts";

const DEFAULT_TIMEOUT_MS = 15_000;
const MAX_BACKOFF_MS = 10_000;

const createCallResponse = z.object({
  status: z.string().optional(),
  message: z.string().optional(),
  call_id: z.string().optional(),
});

const callSchema = z.looseObject({ call_id: z.string(), to: z.string(), created_at: z.string() });

const listSchema = z.looseObject({
  count: z.union([z.number(), z.string()]).optional(),
  calls: z.array(z.looseObject({ call_id: z.string(), created_at: z.string(), to: z.string() })),
});

/** A Bland client: createCall is never retried (see BlandError); reads retry 429/5xx/network errors with backoff. */
export function createBlandClient(opts: BlandClientOptions): BlandClient {
  const settings: HttpSettings = {
    baseUrl: opts.baseUrl,
    apiKey: opts.apiKey,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    dispatcher: createDispatcher(),
  };
  const read = (req: HttpRequest) =>
    sendWithRetries(settings, req, opts.readRetries ?? 3, opts.readRetryBaseMs ?? 250);
  const listCalls = async (q: ListCallsQuery) =>
    parseList(await read({ method: "GET", path: "/v1/calls", query: listQuery(q) }));
  return {
    createCall: (req) => createCall(settings, req),
    getCall: async (callId) =>
      parseCall(await read({ method: "GET", path: `/v1/calls/${encodeURIComponent(callId)}` })),
    listCalls,
    iterateCalls: (q) => iterateCallWindows(listCalls, q),
  };
}

async function createCall(settings: HttpSettings, req: CreateCallRequest): Promise<{ callId: string }> {
  const body = await sendBlandRequest(settings, { method: "POST", path: "/v1/calls", body: req });
  const parsed = createCallResponse.safeParse(body);
  if (!parsed.success)
    throw new BlandError("ambiguous", "Bland's answer to POST /v1/calls was not understood");
  if (parsed.data.status === "error") {
    throw new BlandError("rejected", `Bland refused the call: ${parsed.data.message ?? "no message"}`, {
      status: 200,
    });
  }
  if (parsed.data.call_id === undefined) {
    throw new BlandError(
      "ambiguous",
      "Bland answered POST /v1/calls without a call_id; reconcile before retrying",
    );
  }
  return { callId: parsed.data.call_id };
}

async function sendWithRetries(settings: HttpSettings, req: HttpRequest, retries: number, baseMs: number) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await sendBlandRequest(settings, req);
    } catch (error) {
      if (!(error instanceof BlandError) || !isRetryableRead(error) || attempt >= retries) throw error;
      const backoff = Math.min(MAX_BACKOFF_MS, Math.max(error.retryAfterMs ?? 0, baseMs * 2 ** attempt));
      await new Promise((resolve) => setTimeout(resolve, backoff));
    }
  }
}

function isRetryableRead(error: BlandError): boolean {
  return error.code === "rate_limited" || error.code === "not_placed" || error.code === "ambiguous";
}

function listQuery(q: ListCallsQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (q.startDate !== undefined) params.set("start_date", q.startDate);
  if (q.endDate !== undefined) params.set("end_date", q.endDate);
  if (q.toNumber !== undefined) params.set("to_number", q.toNumber);
  if (q.limit !== undefined) params.set("limit", String(q.limit));
  if (q.from !== undefined) params.set("from", String(q.from));
  if (q.to !== undefined) params.set("to", String(q.to));
  if (q.ascending !== undefined) params.set("ascending", String(q.ascending));
  return params;
}

function parseCall(body: unknown): BlandCall {
  const parsed = callSchema.safeParse(unwrapData(body));
  if (!parsed.success)
    throw new BlandError("ambiguous", "Bland's call object lacks call_id, to or created_at");
  return parsed.data as BlandCall;
}

function parseList(body: unknown): ListCallsResult {
  const parsed = listSchema.safeParse(unwrapData(body));
  if (!parsed.success)
    throw new BlandError("ambiguous", "Bland's call list was not understood (no calls array)");
  const count = Number(parsed.data.count ?? parsed.data.calls.length);
  return {
    count: Number.isFinite(count) ? count : parsed.data.calls.length,
    calls: parsed.data.calls as CallListItem[],
  };
}

/** Some Bland answers wrap the payload in `data`; accept both. */
function unwrapData(body: unknown): unknown {
  if (
    typeof body === "object" &&
    body !== null &&
    "data" in body &&
    !("call_id" in body) &&
    !("calls" in body)
  ) {
    return (body as { data: unknown }).data;
  }
  return body;
}
