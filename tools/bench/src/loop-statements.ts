/**
 * Benchmark: the dial loop's database work alone — dialLead with a dialer that answers at once,
 * then the call's webhook through receiveBlandWebhook, for N leads over R rounds — without HTTP,
 * queue or workers: what a change to the reading, the planners and the writers costs. Reports,
 * per cycle (a dial and its result), wall time, this process's CPU, and the CPU of the PostgreSQL
 * backends of its own scratch database (from /proc: unlike `pnpm bench`, other work on the
 * machine's servers is not counted). Uses only services functions that older versions have too,
 * so the same file measures an older checkout (copy it there).
 * `--statements` also lists, per cycle, every statement the timed rounds ran (pg_stat_statements
 * with `track = all` on the scratch database, so the statements inside the writer functions and
 * triggers are listed too; needs pg_stat_statements preloaded): calls, pages (shared blocks) and
 * execution time, top-level statements marked `*`. `--keep` leaves the scratch database (for EXPLAIN).
 * Run:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --experimental-strip-types tools/bench/src/loop-statements.ts [leads] [rounds] [--statements] [--keep]
 */
import { readFileSync } from "node:fs";
import { createLogger } from "@redial/config";
import { migrate } from "@redial/db";
import { DEFAULT_REDIAL_POLICY } from "@redial/domain";
import { prepareQueues } from "@redial/jobs";
import * as services from "@redial/services";
import { sql } from "kysely";
import pg from "pg";
import { type DatabaseWork, StatementStats, workBetween } from "./held-leads/statement-stats.ts";

const args = process.argv.slice(2);
const listStatements = args.includes("--statements");
const keep = args.includes("--keep");
const [leads = 200, rounds = 10] = args.filter((a) => !a.startsWith("--")).map(Number);
const server = process.env.DATABASE_URL;
if (!server)
  throw new Error("DATABASE_URL: the URL of a PostgreSQL server where a scratch database may be created");
const name = `redial_loop_statements_${process.pid}`;
await admin(`CREATE DATABASE ${name}`);
const url = new URL(server);
url.pathname = `/${name}`;
try {
  await migrate(url.toString());
  await prepareQueues(url.toString());
  if (listStatements) {
    await admin(`ALTER DATABASE ${name} SET pg_stat_statements.track = 'all'`, url.toString());
    await admin("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", url.toString());
  }
  console.log(JSON.stringify(await measure(url.toString())));
} finally {
  if (keep) console.log(`kept: ${url.toString()} (drop it: DROP DATABASE ${name})`);
  else await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

async function measure(databaseUrl: string) {
  let clock = Date.parse("2026-12-02T16:00:00Z"); // Wednesday 11:00 Eastern: the window is open
  const runtime = await services.startRuntime({
    databaseUrl,
    // The leads carry no consent: the statements are measured, not the consent rule.
    policy: {
      ...DEFAULT_REDIAL_POLICY,
      intervalsMinutes: [0],
      minGapMinutes: 0.001,
      maxPerDay: 100,
      consentRequired: "none",
    },
    reconcileAfterMs: 32 * 60_000,
    log: createLogger({ name: "bench", level: "silent", pretty: false }),
    poolSize: 4,
    syncToConvoso: false,
  });
  const ctx = { ...runtime.ctx, now: () => new Date(clock) };
  try {
    await services.ensureDialSlots(ctx.db, 1000);
    const ids: number[] = [];
    for (let i = 0; i < leads; i++)
      ids.push(
        (await services.intakeLead(ctx, { phone: `212555${1000 + i}`, state: "NY", zip: "10001" })).lead.id,
      );
    const deps = {
      dialer: {
        place: async ({ attemptId }: { attemptId: number }) => ({ callId: `c-${attemptId}` }),
        findPlacedCall: async () => undefined,
        getCall: async () => undefined,
        classify: (error: unknown) => ({ kind: "ambiguous" as const, message: String(error) }),
      },
      limits: { maxConcurrent: 1000, maxPerHour: null, maxPerDay: null },
    };
    const receive = services.receiveBlandWebhook as (
      ctx: unknown,
      call: unknown,
    ) => Promise<{ status: string }>;
    const round = async () => {
      for (const id of ids) {
        clock += 1000;
        const dialed = await services.dialLead(ctx, deps, id);
        if (dialed !== "placed") throw new Error(`lead ${id}: dial ${dialed}`);
        const { rows } = await sql<{ id: string }>`
          SELECT id FROM call_attempts WHERE lead_id = ${id} AND state IN ('dialing', 'in_progress')`.execute(
          ctx.db,
        );
        const attemptId = Number(rows[0]?.id);
        clock += 1000;
        const call = {
          call_id: `c-${attemptId}`,
          completed: true,
          status: "completed",
          answered_by: "voicemail",
          call_length: 0.5,
          metadata: { attempt_id: attemptId },
        };
        const result = await receive(ctx, call);
        if (result.status !== "processed") throw new Error(`lead ${id}: result ${result.status}`);
      }
    };
    await round(); // warm: prepared statements, plans, caches
    const stats = listStatements ? await StatementStats.connect(databaseUrl) : undefined;
    const statementsBefore = await stats?.sample();
    const before = await sample(ctx.db);
    for (let i = 1; i < rounds; i++) await round();
    const after = await sample(ctx.db);
    const cycles = leads * (rounds - 1);
    if (stats && statementsBefore) {
      printStatements(workBetween(statementsBefore, await stats.sample()), cycles);
      await stats.end();
    }
    return {
      cycles,
      wallMsPerCycle: +((after.wallMs - before.wallMs) / cycles).toFixed(3),
      nodeCpuMsPerCycle: +((after.nodeMs - before.nodeMs) / cycles).toFixed(3),
      postgresCpuMsPerCycle: +((after.pgMs - before.pgMs) / cycles).toFixed(3),
    };
  } finally {
    await runtime.stop();
  }
}

/** Now: wall clock, this process's CPU, and the CPU of every backend connected to this database. */
async function sample(db: services.RedialContext["db"]) {
  const { rows } = await sql<{ pid: number }>`
    SELECT pid FROM pg_stat_activity WHERE datname = current_database()`.execute(db);
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime in 1/100 s (Linux USER_HZ)
    } catch {
      // a backend that ended between the query and the read
    }
  }
  const cpu = process.cpuUsage();
  return { wallMs: performance.now(), nodeMs: (cpu.user + cpu.system) / 1000, pgMs: ticks * 10 };
}

/** Every statement of the timed rounds, per cycle, by execution time (top-level ones marked `*`). */
function printStatements(work: DatabaseWork, cycles: number): void {
  const rows = [...work.byStatement.values()].sort((a, b) => b.execMs - a.execMs);
  console.log("calls/cycle  pages/cycle  exec ms/cycle  statement");
  for (const s of rows) {
    const query = s.query.replace(/\s+/g, " ").slice(0, 150);
    console.log(
      `${(s.calls / cycles).toFixed(2).padStart(11)}  ${(s.blocks / cycles).toFixed(1).padStart(11)}  ${(s.execMs / cycles).toFixed(3).padStart(13)}  ${s.toplevel ? "*" : " "} ${query}`,
    );
  }
}

async function admin(statement: string, connectionString = server): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
