/**
 * Benchmark: how a lead writer moves the lead's dial job — our SQL (redial_dial_job_put, in the
 * writer's one statement) against pg-boss's own upsert() in the writer's transaction (the public
 * API; the writer then needs a transaction of its own: BEGIN, the lead's UPDATE, upsert, COMMIT).
 * Both write the same rows (packages/jobs/test/job-table-writes.test.ts). Measured per write,
 * alternating rounds on one scratch database: wall time, this process's CPU, and the CPU of the
 * PostgreSQL backends serving it (read from /proc: the server must run on this machine).
 * Run:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --experimental-strip-types tools/bench/src/job-move.ts [leads] [rounds]
 */
import { readFileSync } from "node:fs";
import { createDb, migrate } from "@redial/db";
import { createBoss, prepareQueues, QUEUES } from "@redial/jobs";
import { sql } from "kysely";
import { fromKysely } from "pg-boss";
import { createScratchDatabase } from "./scratch-database.ts";

const [leads = 300, rounds = 6] = process.argv.slice(2).map(Number);
const scratch = await createScratchDatabase("redial_job_move");
try {
  await migrate(scratch.url);
  await prepareQueues(scratch.url);
  await run(scratch.url);
} finally {
  await scratch.drop();
}

async function run(databaseUrl: string): Promise<void> {
  // One connection each, so the backends' CPU is the writes' alone.
  const db = createDb(databaseUrl, { max: 1 });
  const boss = createBoss(databaseUrl, { max: 1 });
  boss.on("error", () => undefined);
  await boss.start();
  try {
    const { rows } = await sql<{ id: string }>`
      INSERT INTO leads (phone, timezones, states)
      SELECT '+1212' || (5600000 + g)::text, '{America/New_York}', '{NY}' FROM generate_series(1, ${leads}) g
      RETURNING id`.execute(db);
    const ids = rows.map((row) => Number(row.id));
    for (const id of ids) await sql`SELECT redial_dial_job_put(${id}::bigint, 3600)`.execute(db);
    const changes = (i: number) =>
      JSON.stringify({
        status: "active",
        next_attempt_at: new Date(Date.now() + i * 1000),
        waiting_reason: "bench",
      });
    const ours = async (id: number, i: number) => {
      await sql`SELECT redial_write_schedule(${id}::bigint, NULL::text, NULL::text, NULL::timestamptz,
                  ${changes(i)}::jsonb, ${600 + i}::float8, NULL::bigint, NULL::text, NULL::timestamptz)`.execute(
        db,
      );
    };
    const pgBoss = async (id: number, i: number) => {
      await db.transaction().execute(async (trx) => {
        await sql`SELECT redial_lead_update(${id}::bigint, ${changes(i)}::jsonb)`.execute(trx);
        await boss.upsert(
          QUEUES.dial.name,
          { leadId: id },
          { singletonKey: String(id), startAfter: 600 + i, db: fromKysely(trx) },
        );
      });
    };
    const totals = { ours: zero(), pgBoss: zero() };
    for (let round = 0; round < rounds; round++) {
      for (const [label, write] of [
        ["ours", ours],
        ["pgBoss", pgBoss],
      ] as const) {
        const before = await sample(db);
        for (const [i, id] of ids.entries()) await write(id, i + round);
        add(totals[label], delta(before, await sample(db)));
      }
    }
    const writes = ids.length * rounds;
    const per = (t: Sample) => ({
      wallMs: +(t.wallMs / writes).toFixed(3),
      nodeCpuMs: +(t.nodeMs / writes).toFixed(3),
      postgresCpuMs: +(t.pgMs / writes).toFixed(3),
    });
    const result = { writes, ours: per(totals.ours), pgBoss: per(totals.pgBoss) };
    console.log(JSON.stringify(result));
    console.log(
      `per write: our SQL function ${result.ours.wallMs} ms wall, ${result.ours.nodeCpuMs} + ${result.ours.postgresCpuMs} ms CPU (Node + PostgreSQL); pg-boss upsert in the transaction ${result.pgBoss.wallMs} ms wall, ${result.pgBoss.nodeCpuMs} + ${result.pgBoss.postgresCpuMs} ms CPU`,
    );
  } finally {
    await boss.stop({ graceful: false });
    await db.destroy();
  }
}

interface Sample {
  wallMs: number;
  nodeMs: number;
  pgMs: number;
}
function zero(): Sample {
  return { wallMs: 0, nodeMs: 0, pgMs: 0 };
}
function add(into: Sample, d: Sample): void {
  into.wallMs += d.wallMs;
  into.nodeMs += d.nodeMs;
  into.pgMs += d.pgMs;
}
function delta(a: Sample, b: Sample): Sample {
  return { wallMs: b.wallMs - a.wallMs, nodeMs: b.nodeMs - a.nodeMs, pgMs: b.pgMs - a.pgMs };
}

/** Now: wall clock, this process's CPU, and the CPU of every backend connected to this database. */
async function sample(db: ReturnType<typeof createDb>): Promise<Sample> {
  const { rows } = await sql<{ pid: number }>`
    SELECT pid FROM pg_stat_activity WHERE datname = current_database()`.execute(db);
  let ticks = 0;
  for (const { pid } of rows) {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  const cpu = process.cpuUsage();
  return { wallMs: performance.now(), nodeMs: (cpu.user + cpu.system) / 1000, pgMs: ticks * 10 };
}
