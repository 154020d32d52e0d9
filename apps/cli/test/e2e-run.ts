import { setTimeout as delay } from "node:timers/promises";
import type { TestDatabase } from "@redial/db/testing";
import {
  campaignDay,
  intervalBeforeCall,
  isWithinCallingWindow,
  parseIntervals,
  schedulerConfigSchema,
} from "@redial/domain";
import { OPEN_CALENDAR } from "@redial/simulator";
import { E2E_ENV, type SimCall } from "@redial/testing";
import { sql } from "kysely";

/** Reading a run of the system (@redial/testing process-system.ts) back, and the rules it must have obeyed. */

const OPEN_CALENDAR_PARSED = schedulerConfigSchema.parse(OPEN_CALENDAR);

export interface LeadRow {
  id: number;
  phone: string;
  status: string;
  final_outcome: string | null;
  timezones: string[];
  states: string[];
  waiting_reason: string | null;
  created_at: Date;
  dial_jobs: number;
}

export interface AttemptRow {
  id: number;
  lead_id: number;
  attempt_number: number;
  campaign_day: string;
  dialed_at: Date;
  ended_at: Date | null;
  created_at: Date;
  state: string;
  bland_call_id: string | null;
  outcome: string | null;
  result_source: string | null;
}

export interface WebhookRow {
  call_id: string | null;
  result: string | null;
  /** Deliveries of the same body counted on this row (1: delivered once). */
  delivery_count: number;
}

export interface RunRecord {
  leads: LeadRow[];
  attempts: AttemptRow[];
  webhooks: WebhookRow[];
  dncPhones: Set<string>;
}

export async function readRun(db: TestDatabase["db"]): Promise<RunRecord> {
  const leads = await sql<LeadRow>`
    SELECT l.id::int AS id, l.phone, l.status, l.final_outcome, l.timezones, l.states, l.waiting_reason, l.created_at,
      (SELECT count(*)::int FROM pgboss.job j WHERE j.name = 'dial' AND j.singleton_key = l.id::text
         AND j.state IN ('created', 'retry', 'active')) AS dial_jobs
    FROM leads l ORDER BY l.id`.execute(db);
  const attempts = await sql<AttemptRow>`
    SELECT id::int AS id, lead_id::int AS lead_id, attempt_number, campaign_day::text AS campaign_day,
      dialed_at, ended_at, created_at, state, bland_call_id, outcome, result_source
    FROM call_attempts ORDER BY lead_id, dialed_at, id`.execute(db);
  const webhooks = await sql<WebhookRow>`
    SELECT call_id, result, delivery_count FROM webhook_events WHERE source = 'bland'`.execute(db);
  const dnc = await sql<{ phone: string }>`SELECT phone FROM dnc_phones`.execute(db);
  return {
    leads: leads.rows,
    attempts: attempts.rows,
    webhooks: webhooks.rows,
    dncPhones: new Set(dnc.rows.map((r) => r.phone)),
  };
}

/** What the unsettled leads wait for (for the message of a timeout). */
export async function explainUnsettled(db: TestDatabase["db"]): Promise<string> {
  const { rows } = await sql<{ status: string; why: string; open: number; n: number; next: Date | null }>`
    SELECT l.status, split_part(coalesce(l.waiting_reason, '-'), ':', 1) AS why, count(*)::int AS n,
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM call_attempts a WHERE a.lead_id = l.id
                                       AND a.state IN ('dialing', 'in_progress')))::int AS open,
      min(l.next_attempt_at) AS next,
      (SELECT count(*)::int FROM pgboss.job j WHERE j.name = 'dial' AND j.state = 'active') AS active_jobs
    FROM leads l GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
  return JSON.stringify(rows);
}

/** Done for this run: completed, at its daily max, or waiting for something later than the run (a callback, the window). */
export async function unsettledLeads(db: TestDatabase["db"]): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM leads l
    WHERE NOT (l.status IN ('completed', 'daily_max_reached')
               OR (l.status = 'active' AND coalesce(l.waiting_reason, '') LIKE 'callback%')
               OR (l.status = 'active' AND l.attempts_total = 0 AND coalesce(l.waiting_reason, '') LIKE 'outside%'))
       OR EXISTS (SELECT 1 FROM call_attempts a WHERE a.lead_id = l.id AND a.state IN ('dialing', 'in_progress'))`.execute(
    db,
  );
  return rows[0]?.n ?? -1;
}

const placed = (a: AttemptRow) => a.state !== "not_placed";

function byLead(attempts: readonly AttemptRow[]): Map<number, AttemptRow[]> {
  const map = new Map<number, AttemptRow[]>();
  for (const a of attempts) map.set(a.lead_id, [...(map.get(a.lead_id) ?? []), a]);
  return map;
}

/** Every dial inside the lead's legal window, judged in the processes' clock (dialed_at is that clock). */
export function windowViolations(run: RunRecord, offsetSeconds: number): string[] {
  const leads = new Map(run.leads.map((l) => [l.id, l]));
  const out: string[] = [];
  for (const a of run.attempts) {
    const lead = leads.get(a.lead_id);
    if (!lead) continue;
    // created_at is the database's real clock: the difference is the offset, so dialed_at is the shifted clock.
    const skew = a.dialed_at.getTime() - a.created_at.getTime() - offsetSeconds * 1000;
    if (Math.abs(skew) > 10_000) out.push(`attempt ${a.id}: dialed_at is not in the processes' clock`);
    if (!isWithinCallingWindow(a.dialed_at, lead, OPEN_CALENDAR_PARSED))
      out.push(`lead ${lead.id} (${lead.phone}) dialed at ${a.dialed_at.toISOString()} outside its window`);
  }
  return out;
}

/** Daily max, no overlap, and every call at least the cadence interval (≥ minimum gap) after the previous one ended. */
export function cadenceViolations(run: RunRecord): string[] {
  const policy = {
    intervals: parseIntervals(E2E_ENV.REDIAL_PROGRESSIVE_INTERVALS),
    minGapMs: Number(E2E_ENV.REDIAL_MIN_GAP_MINUTES) * 60_000,
    maxPerDay: Number(E2E_ENV.REDIAL_MAX_PER_DAY),
  };
  const out: string[] = [];
  for (const [leadId, all] of byLead(run.attempts.filter(placed))) {
    const perDay = new Map<string, number>();
    let previous: AttemptRow | undefined;
    for (const a of all) {
      const k = (perDay.get(a.campaign_day) ?? 0) + 1;
      perDay.set(a.campaign_day, k);
      if (k > policy.maxPerDay)
        out.push(`lead ${leadId}: call ${k} on ${a.campaign_day} (max ${policy.maxPerDay})`);
      if (a.campaign_day !== campaignDay(a.dialed_at, OPEN_CALENDAR_PARSED))
        out.push(`attempt ${a.id}: campaign_day ${a.campaign_day} is not the day it was dialed`);
      if (previous) {
        const ended = previous.ended_at?.getTime();
        const wait = Math.max(policy.minGapMs, intervalBeforeCall(policy.intervals, k) * 60_000);
        if (ended === undefined)
          out.push(`lead ${leadId}: attempt ${a.id} dialed while ${previous.id} was open`);
        else if (a.dialed_at.getTime() < ended + wait - 1)
          out.push(
            `lead ${leadId}: attempt ${a.id} dialed ${a.dialed_at.getTime() - ended} ms after ${previous.id} ended (≥ ${wait} ms)`,
          );
      }
      previous = a;
    }
  }
  return out;
}

/** SALE/DNC completes the lead with that outcome, and it is the lead's last dial. */
export function finalOutcomeViolations(run: RunRecord): string[] {
  const out: string[] = [];
  const attempts = byLead(run.attempts);
  for (const lead of run.leads) {
    const own = attempts.get(lead.id) ?? [];
    const finals = own.filter((a) => a.outcome === "SALE" || a.outcome === "DNC");
    if (lead.status !== "completed") {
      if (finals.length > 0) out.push(`lead ${lead.id} is ${lead.status} after a ${finals[0]?.outcome}`);
      continue;
    }
    const last = own.at(-1);
    if (finals.length !== 1 || last !== finals[0])
      out.push(`lead ${lead.id}: ${finals.length} SALE/DNC calls, last call ${last?.id} (${last?.outcome})`);
    if (last?.outcome !== lead.final_outcome)
      out.push(`lead ${lead.id}: final_outcome ${lead.final_outcome}, last call ${last?.outcome}`);
    if (lead.final_outcome === "DNC" && !run.dncPhones.has(lead.phone))
      out.push(`lead ${lead.id}: DNC but ${lead.phone} is not on the DNC list`);
  }
  return out;
}

/** One queued-or-active dial job per lead that may still be dialed, none for a completed lead. */
export function jobViolations(run: RunRecord): string[] {
  return run.leads.flatMap((lead) => {
    const expected = lead.status === "completed" ? 0 : 1;
    return lead.dial_jobs === expected
      ? []
      : [`lead ${lead.id} (${lead.status}) has ${lead.dial_jobs} dial jobs`];
  });
}

/** Every webhook stored and processed exactly once; a result from reconciliation has no processed webhook. */
export function webhookViolations(run: RunRecord): string[] {
  const out: string[] = [];
  const processed = new Map<string, number>();
  for (const w of run.webhooks) {
    if (w.result !== "processed" && w.result !== "duplicate")
      out.push(`webhook for ${w.call_id} ended as ${w.result}`);
    if (w.result === "processed" && w.call_id) processed.set(w.call_id, (processed.get(w.call_id) ?? 0) + 1);
  }
  for (const a of run.attempts) {
    if (a.state !== "ended") continue;
    const n = a.bland_call_id ? (processed.get(a.bland_call_id) ?? 0) : 0;
    const expected = a.result_source === "webhook" ? 1 : 0;
    if (n !== expected) out.push(`attempt ${a.id} (${a.result_source}): ${n} processed webhooks`);
  }
  return out;
}

/** Every call the simulator placed is one attempt's call, and no attempt placed two. */
export function placementViolations(run: RunRecord, calls: readonly SimCall[]): string[] {
  const out: string[] = [];
  const attempts = new Map(run.attempts.map((a) => [a.id, a]));
  const seen = new Map<number, string>();
  for (const call of calls) {
    const attemptId = Number(call.metadata?.attempt_id);
    const attempt = attempts.get(attemptId);
    if (seen.has(attemptId))
      out.push(`attempt ${attemptId} placed ${seen.get(attemptId)} and ${call.call_id}`);
    seen.set(attemptId, call.call_id);
    if (!attempt) out.push(`call ${call.call_id} has no attempt (${attemptId})`);
    else if (attempt.bland_call_id !== call.call_id)
      out.push(`call ${call.call_id}: attempt ${attemptId} holds ${attempt.bland_call_id}`);
    else if (attempt.state !== "ended") out.push(`attempt ${attemptId} is ${attempt.state}, its call ended`);
  }
  for (const a of run.attempts)
    if (a.bland_call_id && !seen.has(a.id))
      out.push(`attempt ${a.id}: call ${a.bland_call_id} unknown to Bland`);
  return out;
}

/** While the loop runs: never two open attempts for one lead, never more open than the fleet cap. */
export function sampleOpenAttempts(db: TestDatabase["db"]): {
  stop(): Promise<{ maxOpen: number; doubled: string[] }>;
} {
  let running = true;
  let maxOpen = 0;
  const doubled: string[] = [];
  const loop = (async () => {
    while (running) {
      const result = await sql<{ lead_id: number; n: number }>`
        SELECT lead_id::int AS lead_id, count(*)::int AS n FROM call_attempts
        WHERE state IN ('dialing', 'in_progress') GROUP BY lead_id`
        .execute(db)
        .catch(() => undefined);
      if (!result) return; // the database went away: the test is over
      const rows = result.rows;
      maxOpen = Math.max(
        maxOpen,
        rows.reduce((sum, r) => sum + r.n, 0),
      );
      for (const r of rows) if (r.n > 1) doubled.push(`lead ${r.lead_id}: ${r.n} open attempts`);
      await delay(150);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { maxOpen, doubled };
    },
  };
}

/** Counts for the log and for checking that a run went through every path. */
export function summarize(run: RunRecord) {
  const count = (values: Array<string | null>) => {
    const out: Record<string, number> = {};
    for (const v of values) out[String(v)] = (out[String(v)] ?? 0) + 1;
    return out;
  };
  return {
    leads: count(
      run.leads.map((l) => (l.status === "completed" ? `completed:${l.final_outcome}` : l.status)),
    ),
    waiting: count(run.leads.map((l) => l.waiting_reason?.split(":")[0] ?? null)),
    attempts: run.attempts.length,
    attemptStates: count(run.attempts.map((a) => a.state)),
    outcomes: count(run.attempts.map((a) => a.outcome)),
    resultSources: count(run.attempts.map((a) => a.result_source)),
    webhooks: count(run.webhooks.map((w) => w.result)),
  };
}

/** Where a run lost time: the longest calls (dial → result) and the longest waits (result → next dial), in seconds. */
export function longestWaits(
  run: RunRecord,
  n: number,
  offsetSeconds: number,
): Array<{ lead: number; open?: number; idle?: number; first?: number }> {
  const waits: Array<{ lead: number; open?: number; idle?: number; first?: number; s: number }> = [];
  // Leads are created on the database's clock; attempts are dialed on the processes' clock.
  const created = new Map(
    run.leads.map((l) => [l.id, new Date(l.created_at.getTime() + offsetSeconds * 1000)]),
  );
  const seconds = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 100) / 10;
  for (const [lead, all] of byLead(run.attempts.filter(placed))) {
    all.forEach((a, i) => {
      const intake = created.get(lead);
      if (i === 0 && intake)
        waits.push({ lead, first: seconds(intake, a.dialed_at), s: seconds(intake, a.dialed_at) });
      if (a.ended_at)
        waits.push({ lead, open: seconds(a.dialed_at, a.ended_at), s: seconds(a.dialed_at, a.ended_at) });
      const previous = all[i - 1]?.ended_at;
      if (previous)
        waits.push({ lead, idle: seconds(previous, a.dialed_at), s: seconds(previous, a.dialed_at) });
    });
  }
  return waits
    .sort((a, b) => b.s - a.s)
    .slice(0, n)
    .map(({ s: _s, ...rest }) => rest);
}
