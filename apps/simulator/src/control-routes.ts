import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { endCall } from "./live-calls.ts";
import { OUTCOMES } from "./outcomes.ts";
import { updateSimulatorConfig } from "./simulator-config.ts";
import { resetSimulatorState, type SimulatorState } from "./simulator-state.ts";
import { simulatorStats } from "./simulator-stats.ts";

const completeBody = z.object({ outcome: z.enum(OUTCOMES).optional() }).nullish();
const requestsQuery = z.object({
  route: z.string().optional(),
  method: z.string().optional(),
  limit: z.coerce.number().int().min(1).optional(),
});
const seedBody = z.union([
  z.array(z.record(z.string(), z.unknown())),
  z.object({ leads: z.array(z.record(z.string(), z.unknown())) }),
]);

/** /_sim: no auth; for tests and the dev UI. */
export function registerControlRoutes(app: FastifyInstance, state: SimulatorState): void {
  app.get("/_sim/stats", async () => simulatorStats(state));
  app.get("/_sim/requests", async (req) => {
    const q = requestsQuery.parse(req.query);
    return { requests: state.requests.list(q) };
  });
  app.get("/_sim/config", async () => state.config);
  app.put("/_sim/config", async (req) => {
    state.config = updateSimulatorConfig(state.config, req.body);
    return state.config;
  });
  app.post("/_sim/reset", async () => {
    resetSimulatorState(state);
    return { ok: true };
  });
  app.get("/_sim/calls", async () => ({ calls: [...state.calls.values()].map((live) => live.call) }));
  app.post<{ Params: { id: string } }>("/_sim/calls/:id/complete", async (req, reply) => {
    const parsed = completeBody.safeParse(req.body);
    if (!parsed.success) {
      return reply.code(400).send({
        error: { code: "invalid_outcome", message: `outcome must be one of ${OUTCOMES.join(", ")}` },
      });
    }
    const call = endCall(state, req.params.id, parsed.data?.outcome);
    return (
      call ??
      reply.code(404).send({ error: { code: "call_not_found", message: `No live call ${req.params.id}` } })
    );
  });
  app.post("/_sim/convoso/leads", async (req, reply) => {
    const parsed = seedBody.safeParse(req.body);
    if (!parsed.success) {
      return reply
        .code(400)
        .send({ error: { code: "invalid_leads", message: "Send [lead…] or {leads:[lead…]}" } });
    }
    const leads = Array.isArray(parsed.data) ? parsed.data : parsed.data.leads;
    const inserted = leads.map((lead) => state.convoso.insertLead(stringify(lead)));
    return { leads: inserted };
  });
}

function stringify(lead: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(lead)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => [k, String(v)]),
  );
}
