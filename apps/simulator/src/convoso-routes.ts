import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { findConvosoStatus, searchConvosoStatuses } from "./convoso-statuses.ts";
import type { Page } from "./convoso-store.ts";
import { faultFires, type SimulatorState } from "./simulator-state.ts";

type Params = Record<string, string>;

/** Convoso's application errors: HTTP 200 with success false. */
function failure(code: number, text: string) {
  return { success: false, code, text };
}

/** Query and form fields together (Convoso accepts both); values as strings. */
function paramsOf(req: FastifyRequest): Params {
  const out: Params = {};
  for (const source of [req.query, req.body]) {
    if (typeof source !== "object" || source === null) continue;
    for (const [k, v] of Object.entries(source)) if (v !== undefined && v !== null) out[k] = String(v);
  }
  return out;
}

function pageArgs(p: Params, maxLimit: number): { offset: number; limit: number } {
  const offset = Math.max(0, Number.parseInt(p.offset ?? "0", 10) || 0);
  const limit = Math.min(maxLimit, Math.max(1, Number.parseInt(p.limit ?? "10", 10) || 10));
  return { offset, limit };
}

/** The list envelope in the configured variant, so clients learn to accept all of them. */
function listEnvelope<T>(state: SimulatorState, page: Page<T>, offset: number, limit: number) {
  const meta = { offset: String(offset), limit: String(limit), total: String(page.total) };
  switch (state.config.convoso.responseShape) {
    case "entries":
      return { success: true, data: { ...meta, entries: page.entries } };
    case "results":
      return { success: true, data: { ...meta, results: page.entries } };
    case "array":
      return { success: true, data: page.entries };
    case "flat":
      return { success: true, ...meta, entries: page.entries };
    default: {
      const unknown: never = state.config.convoso.responseShape;
      throw new RangeError(`Unknown response shape ${String(unknown)}`);
    }
  }
}

type Handler = (state: SimulatorState, p: Params) => unknown;

const handlers: Record<string, Handler> = {
  "/v1/leads/search": (state, p) => {
    const { offset, limit } = pageArgs(p, 2000);
    const filter = { phoneNumber: p.phone_number, leadId: p.lead_id, listId: p.list_id, status: p.status };
    return listEnvelope(state, state.convoso.searchLeads(filter, offset, limit), offset, limit);
  },
  "/v1/leads/insert": (state, p) => {
    if (!p.phone_number) return failure(6002, "phone_number is required");
    if (!p.list_id) return failure(6003, "list_id is required");
    if (p.status !== undefined && findConvosoStatus(state.config.convoso.account, p.status) === undefined)
      return failure(6050, "Invalid status");
    const existing =
      p.check_dup === "1" || p.update_if_found === "1" ? state.convoso.leadsByPhone(p.phone_number) : [];
    const found = existing.find((lead) => lead.list_id === p.list_id) ?? existing[0];
    if (found !== undefined && p.update_if_found === "1") {
      return {
        success: true,
        data: { lead_id: state.convoso.updateLead(found.id, fields(p))?.id ?? found.id },
      };
    }
    if (found !== undefined) return failure(6009, `Duplicate lead ${found.id}`);
    return { success: true, data: { lead_id: state.convoso.insertLead(fields(p)).id } };
  },
  "/v1/leads/update": (state, p) => {
    if (!p.lead_id) return failure(6001, "lead_id is required");
    if (p.status !== undefined && findConvosoStatus(state.config.convoso.account, p.status) === undefined)
      return failure(6050, "Invalid status");
    const lead = state.convoso.updateLead(p.lead_id, fields(p));
    return lead === undefined
      ? failure(6001, `No such lead ${p.lead_id}`)
      : { success: true, data: { lead_id: lead.id } };
  },
  "/v1/dnc/insert": (state, p) => {
    if (!p.phone_number) return failure(6002, "phone_number is required");
    const campaign = p.campaign_id ?? "0";
    if (state.convoso.findDnc(p.phone_number, campaign) !== undefined) {
      return failure(6008, "Phone number already exists in DNC list");
    }
    const entry = state.convoso.insertDnc(p.phone_number, p.phone_code ?? "1", campaign, p.reason ?? "");
    return { success: true, id: entry.id };
  },
  "/v1/dnc/search": (state, p) => {
    const { offset, limit } = pageArgs(p, 1000);
    const filter = { phoneNumber: p.phone_number, campaignId: p.campaign_id };
    return listEnvelope(state, state.convoso.searchDnc(filter, offset, limit), offset, limit);
  },
  "/v1/callbacks/insert": (state, p) => {
    if (!p.lead_id || state.convoso.findLead(p.lead_id) === undefined) return failure(6001, "No such lead");
    if (!p.callback_time) return failure(6004, "callback_time is required");
    const callbackId = String(7_000_000 + state.convoso.callbacks.length);
    state.convoso.callbacks.push({ ...withoutToken(p), callback_id: callbackId });
    return { success: true, data: { callback_id: callbackId } };
  },
  "/v1/status/search": (state, p) => ({
    success: true,
    data: searchConvosoStatuses(state.config.convoso.account, p.query),
  }),
};

function withoutToken(p: Params): Params {
  const { auth_token: _token, ...rest } = p;
  return rest;
}

/** Lead fields to store: everything but the token and the control flags. */
function fields(p: Params): Params {
  const { check_dup: _c, update_if_found: _u, lead_id: _l, ...rest } = withoutToken(p);
  return rest;
}

export function registerConvosoRoutes(app: FastifyInstance, state: SimulatorState): void {
  for (const [path, handler] of Object.entries(handlers)) {
    const route = (req: FastifyRequest, reply: FastifyReply) => answer(state, req, reply, handler);
    app.post(path, route);
    app.get(path, route);
  }
}

function answer(state: SimulatorState, req: FastifyRequest, reply: FastifyReply, handler: Handler) {
  if (faultFires(state, "convosoRateLimit"))
    return reply.code(429).send({ success: false, text: "Too many requests" });
  if (faultFires(state, "convosoServerError"))
    return reply.code(500).send({ success: false, text: "Server error" });
  const p = paramsOf(req);
  if (p.auth_token !== state.options.convosoToken) return failure(5001, "Auth token is invalid");
  return handler(state, p);
}
