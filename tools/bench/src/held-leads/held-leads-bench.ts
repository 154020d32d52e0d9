import { createDb, migrate } from "@redial/db";
import { prepareQueues } from "@redial/jobs";
import { sql } from "kysely";
import { createScratchDatabase } from "../scratch-database.ts";
import { startDialResultLoop } from "./dial-result-loop.ts";
import { seedHeldLeads } from "./seed-held-leads.ts";
import { addWork, type DatabaseWork, NO_WORK, StatementStats, workBetween } from "./statement-stats.ts";

export interface HeldLeadsOptions {
  /** A PostgreSQL server where a scratch database may be created. */
  serverUrl: string;
  /** Held leads at each measurement, ascending: the first is the baseline. */
  sizes: number[];
  /** Leads the loop dials (due now). */
  leads: number;
  /** Measured rounds (each lead dialed and its result received once per round), after one warm round. */
  rounds: number;
  attemptsPerLead: number;
  dailyMaxShare: number;
  /** Leave the scratch database for EXPLAIN (its name is logged); the caller drops it. */
  keep?: boolean;
}

/** Per dial or per result, at one size. */
export interface PhaseCost {
  statements: number;
  blocks: number;
  execMs: number;
  backendCpuMs: number;
}

export interface HeldLeadsMeasurement {
  held: number;
  seedSeconds: number;
  dial: PhaseCost;
  result: PhaseCost;
  /** pg_stat_statements evicted entries while this size was measured: its figures are undercounted. */
  evicted: boolean;
  /** The statements (nested ones too) per dial and per result, for what grows. */
  statements: { phase: "dial" | "result"; query: string; toplevel: boolean; calls: number; blocks: number }[];
}

export interface HeldLeadsReport {
  command: string;
  measurements: HeldLeadsMeasurement[];
}

/**
 * The dial loop's PostgreSQL cost per dial and per result with `sizes` leads held (waiting for
 * tomorrow, each with its history and its queued job), all in one scratch database: the loop is
 * measured, the held leads grown to the next size, the loop measured again.
 */
export async function runHeldLeadsBench(
  options: HeldLeadsOptions,
  log: (line: string) => void,
): Promise<HeldLeadsMeasurement[]> {
  const scratch = await createScratchDatabase("redial_held_leads", options.serverUrl);
  try {
    await migrate(scratch.url);
    await prepareQueues(scratch.url);
    await admin(scratch.url, async (db) => {
      await sql`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`.execute(db);
      await sql.raw(`ALTER DATABASE ${scratch.name} SET pg_stat_statements.track = 'all'`).execute(db);
    });
    const loop = await startDialResultLoop(scratch.url, options.leads);
    const stats = await StatementStats.connect(scratch.url);
    const measurements: HeldLeadsMeasurement[] = [];
    try {
      let held = 0;
      for (const size of [...options.sizes].sort((a, b) => a - b)) {
        const started = performance.now();
        await seedHeldLeads(
          loop.ctx.db,
          {
            count: size - held,
            dailyMaxShare: options.dailyMaxShare,
            attemptsPerLead: options.attemptsPerLead,
            today: new Date("2026-12-02T05:00:00Z"),
          },
          (done) =>
            log(
              `  seeding held leads: ${(held + done).toLocaleString("en-US")}/${size.toLocaleString("en-US")}`,
            ),
        );
        held = size;
        const seedSeconds = (performance.now() - started) / 1000;
        // Leads of their own at each size: their history (read at each dial) is as long at every size.
        if (measurements.length > 0) await loop.addLeads(options.leads);
        measurements.push({ held, seedSeconds, ...(await measureLoop(loop, stats, options.rounds)) });
      }
    } finally {
      await stats.end();
      await loop.stop();
    }
    return measurements;
  } finally {
    if (options.keep) log(`scratch database kept: ${scratch.url}`);
    else await scratch.drop();
  }
}

async function measureLoop(
  loop: Awaited<ReturnType<typeof startDialResultLoop>>,
  stats: StatementStats,
  rounds: number,
): Promise<Omit<HeldLeadsMeasurement, "held" | "seedSeconds">> {
  // What the workers' crons and autovacuum do between two stages: the rollups' deltas folded, the
  // slots' dead rows (every dial and result rewrites one) vacuumed, so each stage starts alike.
  await sql`SELECT report_rollups_compact()`.execute(loop.ctx.db);
  for (const table of [
    "dial_slots",
    "report_leads_delta",
    "report_call_days_delta",
    "report_lead_days_delta",
  ])
    await sql.raw(`VACUUM (ANALYZE) ${table}`).execute(loop.ctx.db);
  const round = async (phase: (id: number) => Promise<void>) => {
    for (const id of loop.leadIds) await phase(id);
  };
  await round(loop.dial); // warm: prepared statements, plans, caches
  await round(loop.result);
  await stats.reset();
  let dial = NO_WORK;
  let result = NO_WORK;
  const first = await stats.sample();
  let last = first;
  for (let i = 0; i < rounds; i++) {
    const start = await stats.sample();
    await round(loop.dial);
    const dialed = await stats.sample();
    await round(loop.result);
    const ended = await stats.sample();
    dial = addWork(dial, workBetween(start, dialed));
    result = addWork(result, workBetween(dialed, ended));
    last = ended;
  }
  const count = rounds * loop.leadIds.length;
  return {
    evicted: last.evictions > first.evictions,
    dial: perOperation(dial, count),
    result: perOperation(result, count),
    statements: [...statementsOf("dial", dial, count), ...statementsOf("result", result, count)],
  };
}

function perOperation(work: DatabaseWork, count: number): PhaseCost {
  return {
    statements: work.statements / count,
    blocks: work.blocks / count,
    execMs: work.execMs / count,
    backendCpuMs: work.backendCpuMs / count,
  };
}

function statementsOf(phase: "dial" | "result", work: DatabaseWork, count: number) {
  return [...work.byStatement.values()].map((s) => ({
    phase,
    query: s.query.replace(/\s+/g, " ").slice(0, 160),
    toplevel: s.toplevel,
    calls: s.calls / count,
    blocks: s.blocks / count,
  }));
}

/** The ratio of the largest size to the baseline, for each figure, against the 1.2× target. */
export function heldLeadsLines(measurements: readonly HeldLeadsMeasurement[], command: string): string[] {
  const base = measurements[0];
  const top = measurements.at(-1);
  if (!base || !top) return [];
  const n = (v: number, digits = 2) => v.toFixed(digits).padStart(9);
  const lines = [
    "held leads  | per dial: statements  blocks  exec ms  backend CPU ms | per result: statements  blocks  exec ms  backend CPU ms | seeding s",
  ];
  for (const m of measurements)
    lines.push(
      `${m.held.toLocaleString("en-US").padStart(11)} | ${n(m.dial.statements)} ${n(m.dial.blocks, 1)} ${n(m.dial.execMs, 3)} ${n(m.dial.backendCpuMs, 3)} | ${n(m.result.statements)} ${n(m.result.blocks, 1)} ${n(m.result.execMs, 3)} ${n(m.result.backendCpuMs, 3)} | ${m.seedSeconds.toFixed(0)}`,
    );
  for (const m of measurements)
    if (m.evicted)
      lines.push(
        `warning: pg_stat_statements evicted entries while ${m.held.toLocaleString("en-US")} held were measured (other databases' statements; pg_stat_statements.max): that size's statements and blocks are undercounted, run again`,
      );
  const ratio = (label: string, a: number, b: number) => {
    const r = b / a;
    return `${label}: ×${r.toFixed(2)}  (target ≤ 1.2× ${r <= 1.2 ? "ok" : "MISSED"})`;
  };
  const at = `${top.held.toLocaleString("en-US")} held / ${base.held.toLocaleString("en-US")} held`;
  for (const phase of ["dial", "result"] as const) {
    lines.push(`${at}, per ${phase}:`);
    lines.push(`  ${ratio("statements", base[phase].statements, top[phase].statements)}`);
    lines.push(`  ${ratio("buffers (shared blocks hit + read)", base[phase].blocks, top[phase].blocks)}`);
    lines.push(`  ${ratio("backend CPU", base[phase].backendCpuMs, top[phase].backendCpuMs)}`);
    lines.push(
      `  execution time (pg_stat_statements): ×${(top[phase].execMs / base[phase].execMs).toFixed(2)}`,
    );
  }
  const short = (s: HeldLeadsMeasurement["statements"][number]) =>
    `${s.phase.padEnd(6)} ${s.blocks.toFixed(1).padStart(8)} blocks, ${s.calls.toFixed(2)} calls  ${s.toplevel ? "" : "› "}${s.query}`;
  for (const m of [base, top]) {
    lines.push(`top statements by blocks per operation, ${m.held.toLocaleString("en-US")} held:`);
    for (const s of [...m.statements].sort((a, b) => b.blocks - a.blocks).slice(0, 6))
      lines.push(`  ${short(s)}`);
  }
  lines.push("statements whose blocks per operation grew most (nested ones marked ›):");
  const key = (s: HeldLeadsMeasurement["statements"][number]) => `${s.phase}|${s.toplevel}|${s.query}`;
  const baseBlocks = new Map(base.statements.map((s) => [key(s), s.blocks]));
  const grown = top.statements
    .map((s) => ({ ...s, before: baseBlocks.get(key(s)) ?? 0 }))
    .sort((a, b) => b.blocks - b.before - (a.blocks - a.before))
    .slice(0, 8);
  for (const s of grown)
    lines.push(
      `  ${s.phase.padEnd(6)} ${s.before.toFixed(1).padStart(8)} → ${s.blocks.toFixed(1).padStart(8)} blocks, ${s.calls.toFixed(2)} calls  ${s.toplevel ? "" : "› "}${s.query}`,
    );
  lines.push(`command: ${command}`);
  return lines;
}

async function admin(url: string, work: (db: ReturnType<typeof createDb>) => Promise<void>): Promise<void> {
  const db = createDb(url, { max: 1 });
  try {
    await work(db);
  } finally {
    await db.destroy();
  }
}
