import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { listCalls } from "./call-listing.ts";
import { placeCall } from "./live-calls.ts";
import { toE164 } from "./phone-numbers.ts";
import { faultFires, type SimulatorState } from "./simulator-state.ts";

const createCallBody = z.looseObject({
  phone_number: z.string({ message: "phone_number is required" }),
  task: z.string().optional(),
  pathway_id: z.string().optional(),
  from: z.string().optional(),
  webhook: z.url({ message: "webhook must be a URL" }).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  request_data: z.record(z.string(), z.unknown()).optional(),
  max_duration: z.number().positive().optional(),
  answered_by_enabled: z.boolean().optional(),
});

const listQuery = z.object({
  from: z.coerce.number().int().min(0).default(0),
  to: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  ascending: z.enum(["true", "false"]).default("false"),
  sort_by: z.literal("created_at").default("created_at"),
  start_date: z.string().optional(),
  end_date: z.string().optional(),
  to_number: z.string().optional(),
});

function blandError(reply: FastifyReply, status: number, message: string, errors: string[] = [message]) {
  return reply.code(status).send({ status: "error", message, errors });
}

/** Bland's API key check: the raw key, or "Bearer <key>". */
function authorized(state: SimulatorState, req: FastifyRequest): boolean {
  const header = req.headers.authorization ?? "";
  const key = header.startsWith("Bearer ") ? header.slice(7) : header;
  return key === state.options.blandApiKey;
}

export function registerBlandRoutes(app: FastifyInstance, state: SimulatorState): void {
  app.register(async (bland) => {
    bland.addHook("onRequest", async (req, reply) => {
      if (!authorized(state, req))
        return blandError(reply, 401, "Invalid API key; send it in the authorization header");
    });
    // After the key check: a read answered 5xx (Bland cannot be asked about its calls).
    bland.addHook("onRequest", async (req, reply) => {
      if (req.method === "GET" && faultFires(state, "readServerError"))
        return blandError(reply, state.config.faults.readServerError.status, "Service unavailable");
    });
    bland.post("/v1/calls", (req, reply) => createCall(state, req, reply));
    bland.get("/v1/calls", (req, reply) => getCalls(state, req, reply));
    bland.get<{ Params: { id: string } }>("/v1/calls/:id", async (req, reply) => {
      const live = state.calls.get(req.params.id)?.call;
      const index = live === undefined ? state.history.indexOfCallId(req.params.id) : undefined;
      const call = live ?? (index === undefined ? undefined : state.history.call(index));
      return call ?? blandError(reply, 404, `Call ${req.params.id} not found`);
    });
  });
}

async function createCall(state: SimulatorState, req: FastifyRequest, reply: FastifyReply) {
  const parsed = createCallBody.safeParse(req.body);
  if (!parsed.success)
    return blandError(
      reply,
      400,
      "Invalid request",
      parsed.error.issues.map((i) => i.message),
    );
  const body = parsed.data;
  const to = toE164(body.phone_number);
  if (to === undefined)
    return blandError(reply, 400, `Invalid phone_number "${body.phone_number}": use E.164`);
  if (body.task === undefined && body.pathway_id === undefined) {
    return blandError(reply, 400, "Either task or pathway_id is required");
  }
  const refusal = capRefusal(state, to);
  if (refusal !== undefined) return blandError(reply, 429, refusal);
  if (await faultBeforePlacing(state, reply)) return reply;
  const live = placeCall(state, {
    to,
    from: body.from ?? null,
    webhook: body.webhook ?? null,
    metadata: body.metadata ?? {},
    requestData: body.request_data ?? {},
    pathwayId: body.pathway_id ?? null,
    maxDuration: body.max_duration ?? 30,
    answeredByEnabled: body.answered_by_enabled === true,
  });
  if (faultFires(state, "serverErrorAfterPlacing")) {
    return blandError(reply, state.config.faults.serverErrorAfterPlacing.status, "Internal server error");
  }
  if (faultFires(state, "timeoutAfterPlacing"))
    await state.timers.wait(state.config.faults.timeoutAfterPlacing.hangMs);
  return {
    status: "success",
    message: "Call successfully queued.",
    call_id: live.call.call_id,
    batch_id: null,
  };
}

/** Concurrency and hourly caps: always reported as violations; refused when enforced. */
function capRefusal(state: SimulatorState, to: string): string | undefined {
  const { caps, minGapSeconds } = state.config;
  const broken = state.violations.checkCaps(to, state.inProgress, Date.now(), { ...caps, minGapSeconds });
  if (broken.length === 0 || !caps.enforce) return undefined;
  state.rejected++;
  return broken.includes("concurrency")
    ? `Concurrent call limit reached (${caps.concurrent}); wait for a call to end`
    : `Hourly call limit reached (${caps.perHour}); try again later`;
}

/** Sends the fault's answer and returns true when a before-placing fault fires (a reply is thenable: never return it from here). */
async function faultBeforePlacing(state: SimulatorState, reply: FastifyReply): Promise<boolean> {
  const { faults } = state.config;
  if (faultFires(state, "rateLimit")) {
    const retryAfter = faults.rateLimit.retryAfterSeconds;
    if (retryAfter !== null) reply.header("retry-after", String(retryAfter));
    blandError(reply, 429, "Too many requests; slow down");
    return true;
  }
  if (faultFires(state, "serverErrorBeforePlacing")) {
    blandError(reply, faults.serverErrorBeforePlacing.status, "Internal server error");
    return true;
  }
  if (faultFires(state, "timeoutBeforePlacing")) {
    await state.timers.wait(faults.timeoutBeforePlacing.hangMs);
    blandError(reply, 504, "Gateway timeout");
    return true;
  }
  return false;
}

async function getCalls(state: SimulatorState, req: FastifyRequest, reply: FastifyReply) {
  const parsed = listQuery.safeParse(req.query);
  if (!parsed.success)
    return blandError(
      reply,
      400,
      "Invalid query",
      parsed.error.issues.map((i) => i.message),
    );
  const q = parsed.data;
  const startMs = q.start_date === undefined ? undefined : Date.parse(q.start_date);
  const endMs = q.end_date === undefined ? undefined : Date.parse(q.end_date);
  if (Number.isNaN(startMs) || Number.isNaN(endMs))
    return blandError(reply, 400, "start_date/end_date must be dates");
  const toNumber = q.to_number === undefined ? undefined : (toE164(q.to_number) ?? q.to_number);
  const result = listCalls(
    state.history,
    [...state.calls.values()].map((live) => live.call),
    { startMs, endMs, toNumber, from: q.from, to: q.to, limit: q.limit, ascending: q.ascending === "true" },
  );
  return { count: result.count + state.config.faults.listCountOffset, calls: result.calls };
}
