import { once } from "node:events";
import { API_KEY, type Loop, startLoop } from "@redial/testing";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";

let loop: Loop | undefined;
afterEach(async () => {
  await loop?.close();
  loop = undefined;
});

const admin = (current: Loop, url: string, payload?: object) =>
  current.api.inject({ method: "POST", url, headers: { "x-api-key": API_KEY }, payload: payload ?? {} });

async function dialJobStates(current: Loop, leadId: number): Promise<string[]> {
  const { rows } = await sql<{ state: string }>`
    SELECT state FROM pgboss.job WHERE name = 'dial' AND singleton_key = ${String(leadId)} ORDER BY created_on`.execute(
    current.runtime.ctx.db,
  );
  return rows.map((row) => row.state);
}

async function attempts(current: Loop, leadId: number): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM call_attempts WHERE lead_id = ${leadId}`.execute(current.runtime.ctx.db);
  return rows[0]?.n ?? 0;
}

describe("fleet pause (POST /v1/admin/pause, /resume)", () => {
  it("paused: the worker stops fetching dial jobs, a due lead waits queued; resumed: it is dialed", async () => {
    loop = await startLoop({ simulator: { outcomeByPhone: { "+12125550401": "voicemail" } } });
    const current = loop;
    const worker = current.workers[0]!;
    expect(worker.fleet.dialing()).toBe(true);

    const paused = await admin(current, "/v1/admin/pause", { note: "drill" });
    expect(paused.statusCode, paused.body).toBe(200);
    // The answer comes once every live worker applied the pause.
    expect(paused.json()).toMatchObject({ paused: true, workers_alive: 1, workers_not_in_step: 0 });
    expect(worker.fleet.dialing()).toBe(false);

    const added = await current.api.inject({
      method: "POST",
      url: "/v1/leads",
      headers: { "x-api-key": API_KEY },
      payload: { phone: "(212) 555-0401", state: "NY", zip: "10001" },
    });
    const lead = added.json() as { id: number; next_attempt_at: string };
    expect(new Date(lead.next_attempt_at).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    // Two more beats: the worker read the switch again and still fetches nothing.
    for (let i = 0; i < 2; i++) await once(worker.events, "beat");
    expect(await attempts(current, lead.id)).toBe(0);
    expect(await dialJobStates(current, lead.id)).toEqual(["created"]);

    const resumed = await admin(current, "/v1/admin/resume");
    expect(resumed.json()).toMatchObject({ paused: false, workers_not_in_step: 0 });
    await current.waitFor(async () => (await attempts(current, lead.id)) > 0, "the lead's dial after resume");
  });
});
