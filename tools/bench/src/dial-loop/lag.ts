import { setTimeout as delay } from "node:timers/promises";
import { locateLead } from "@redial/services";
import type { WorkerShape } from "./baseline.ts";
import type { BenchLoop, RunningSystem } from "./loop.ts";
import type { ScratchDatabase } from "./scratch-database.ts";
import { percentile, waitForProgress } from "./stats.ts";

export interface LagResult {
  leads: number;
  /** Seconds over which their due times were spread (0: all due at the same instant). */
  spreadSeconds: number;
  /** Dial time − due time, seconds. */
  lag: { p50: number; p99: number; max: number };
  /** Leads dialed per second, from the first due time to the last dial. */
  dialsPerSecond: number;
  /** Milliseconds the last job was inserted before its due time (negative: it was late already). */
  insertedAheadMs: number;
  commits: number;
  commitsPerLead: number;
}

/** Lead phones by scenario: 212 (New York) for the burst, 404 (Atlanta) for the trickle. */
const PREFIX = { burst: "+1212", trickle: "+1404" } as const;
const LEAD_LOCATION = {
  burst: { state: "NY", zip: "10001" },
  trickle: { state: "GA", zip: "30303" },
} as const;
/** Time given to insert the leads and their jobs before the first one is due. */
const LEAD_TIME_MS = 3000;

/**
 * Due-time lag: `leads` leads whose dial jobs come due at `firstDue + i × spread / leads`, all
 * scheduled ahead (their lead row's next_attempt_at is the due time, their job's startAfter the
 * same instant), with the API and workers running. Every call ends at once as SALE, so each lead
 * is dialed exactly once. The lag of a lead is its attempt's dialed_at − its due time.
 */
export async function runLag(
  database: ScratchDatabase,
  loop: BenchLoop,
  shape: WorkerShape,
  options: { scenario: "burst" | "trickle"; leads: number; spreadSeconds: number },
): Promise<LagResult> {
  const before = await database.settledCommits();
  const ownBefore = database.ownStatements();
  await loop.configureSimulator({ outcomeWeights: { sale: 1 } });
  const system = await loop.startSystem(database.url, shape);

  const ids = await insertLeads(database, options.scenario, options.leads);
  const firstDue = Date.now() + LEAD_TIME_MS;
  const dueAt = ids.map((_, i) =>
    options.leads <= 1 ? firstDue : firstDue + (i * options.spreadSeconds * 1000) / (options.leads - 1),
  );
  let dialed = 0;
  let lastDialAt = Date.now();
  const wanted = new Set(ids);
  const onDial = ({ leadId, result }: { leadId: number; result: string }) => {
    if (result === "placed" && wanted.has(leadId)) dialed++;
    lastDialAt = Date.now();
  };
  system.dials.on("dial", onDial);
  await scheduleDue(database, system, ids, dueAt, loop.clockOffsetMs);
  const insertedAheadMs = firstDue - Date.now();
  lastDialAt = Math.max(Date.now(), firstDue);
  const guard = { system };
  await waitForProgress(
    () => dialed >= ids.length,
    () => lastDialAt,
    "dials of due leads",
    guard,
  );
  system.dials.off("dial", onDial);
  // Their SALE results complete them: the phase's commits include that half of the cycle too.
  const drainStarted = Date.now();
  await waitForProgress(
    async () => {
      const [row] = await database.query<{ open: number }>(
        "SELECT count(*)::int AS open FROM leads WHERE phone LIKE $1 AND status <> 'completed'",
        [`${PREFIX[options.scenario]}%`],
      );
      await delay(250);
      return row?.open === 0;
    },
    () => drainStarted,
    "SALE results completing the due leads",
    guard,
  );
  await system.stop();
  const ownStatements = database.ownStatements() - ownBefore;
  const commits = (await database.settledCommits()) - before - ownStatements;

  const dialedAt = await firstDials(database, ids);
  const lags = ids
    .map((id, i) => {
      const at = dialedAt.get(id);
      return at === undefined ? Number.NaN : (at - loop.clockOffsetMs - (dueAt[i] ?? 0)) / 1000;
    })
    .filter((lag) => Number.isFinite(lag))
    .sort((a, b) => a - b);
  if (lags.length !== ids.length) throw new Error(`${ids.length - lags.length} due leads were never dialed.`);
  const lastDial = Math.max(...dialedAt.values()) - loop.clockOffsetMs;
  return {
    leads: ids.length,
    spreadSeconds: options.spreadSeconds,
    lag: { p50: percentile(lags, 0.5), p99: percentile(lags, 0.99), max: lags.at(-1) ?? Number.NaN },
    dialsPerSecond: ids.length / Math.max(0.001, (lastDial - firstDue) / 1000),
    insertedAheadMs,
    commits,
    commitsPerLead: commits / ids.length,
  };
}

/** The leads, in one statement (as a bulk import would leave them: active, never called). */
async function insertLeads(
  database: ScratchDatabase,
  scenario: "burst" | "trickle",
  count: number,
): Promise<number[]> {
  const prefix = PREFIX[scenario];
  const location = locateLead(`${prefix}5000000`, LEAD_LOCATION[scenario]);
  const rows = await database.query<{ id: number }>(
    `INSERT INTO leads (phone, state, zip, timezones, states, source, waiting_reason)
     SELECT $1 || (5000000 + g)::text, $2, $3, $4, $5, 'bench', 'bench: due lead'
     FROM generate_series(0, $6 - 1) AS g
     ORDER BY g
     RETURNING id`,
    [
      prefix,
      LEAD_LOCATION[scenario].state,
      LEAD_LOCATION[scenario].zip,
      location.timezones,
      location.states,
      count,
    ],
  );
  return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
}

/**
 * Each lead's due time on its row (our clock, which runs `clockOffsetMs` ahead of the database's)
 * and its one dial job (the catalog's queue and singleton key, startAfter = the due instant).
 */
async function scheduleDue(
  database: ScratchDatabase,
  system: RunningSystem,
  ids: readonly number[],
  dueAt: readonly number[],
  clockOffsetMs: number,
): Promise<void> {
  await database.query(
    `UPDATE leads SET next_attempt_at = d.due
     FROM unnest($1::bigint[], $2::timestamptz[]) AS d(id, due) WHERE leads.id = d.id`,
    [ids, dueAt.map((at) => new Date(at + clockOffsetMs))],
  );
  const boss = system.runtime.ctx.boss;
  for (let start = 0; start < ids.length; start += 2000) {
    const jobs = ids.slice(start, start + 2000).map((leadId, i) => ({
      data: { leadId },
      singletonKey: String(leadId),
      startAfter: new Date(dueAt[start + i] ?? 0),
    }));
    await boss.insert("dial", jobs);
  }
}

async function firstDials(database: ScratchDatabase, ids: readonly number[]): Promise<Map<number, number>> {
  const rows = await database.query<{ lead_id: number; dialed_at: Date }>(
    `SELECT lead_id, dialed_at FROM call_attempts
     WHERE lead_id = ANY($1::bigint[]) AND attempt_number = 1`,
    [ids],
  );
  return new Map(rows.map((row) => [Number(row.lead_id), row.dialed_at.getTime()]));
}
