/**
 * What the report rollup triggers (migration 0005) cost the dial loop: the statements one call
 * makes on leads and call_attempts (lock the lead, count the attempt, insert it dialing, mark it
 * in progress, record the result on the attempt and the lead), one transaction per call as the
 * dial loop commits them, for N random leads; rounds alternate with the report triggers off and
 * on. It writes calls: run it on a scratch database (seed-scale.ts), never on a real one. At the
 * end the rollups are rebuilt (the calls made with the triggers off are in no rollup until then).
 *
 *   node --experimental-strip-types tools/bench/src/reports/trigger-cost.ts --database-url postgres://postgres@127.0.0.1:5432/redial_bench \
 *     [--calls 500] [--rounds 5]
 */
import { parseArgs } from "node:util";
import { createDb, type Database, type Db } from "@redial/db";
import { sql, type Transaction } from "kysely";

const REPORT_TRIGGERS = {
  leads: ["report_leads_inserted", "report_leads_updated", "report_leads_deleted"],
  call_attempts: ["report_attempts_inserted", "report_attempts_updated", "report_attempts_deleted"],
};
const OUTCOMES = ["NO_ANSWER", "VOICEMAIL", "BUSY", "TRANSFERRED", "CALLBACK", "NOT_INTERESTED"];

async function oneCall(trx: Transaction<Database>, leadId: number, day: string, i: number): Promise<void> {
  await sql`SELECT id FROM leads WHERE id = ${leadId} FOR UPDATE`.execute(trx);
  const { rows } = await sql<{ n: number }>`
    UPDATE leads SET attempts_total = attempts_total + 1 WHERE id = ${leadId}
    RETURNING (SELECT coalesce(max(attempt_number), 0) + 1 FROM call_attempts WHERE lead_id = ${leadId}) AS n`.execute(
    trx,
  );
  const { rows: inserted } = await sql<{ id: number }>`
    INSERT INTO call_attempts (lead_id, attempt_number, campaign_day, dialed_at)
    VALUES (${leadId}, ${rows[0]?.n ?? 1}, ${day}::date, now()) RETURNING id`.execute(trx);
  const id = inserted[0]?.id;
  await sql`UPDATE leads SET waiting_reason = 'in progress', next_attempt_at = NULL WHERE id = ${leadId}`.execute(
    trx,
  );
  await sql`UPDATE call_attempts SET bland_call_id = coalesce(bland_call_id, ${`bench-${id}`}),
              state = CASE WHEN state = 'dialing' THEN 'in_progress' ELSE state END WHERE id = ${id}`.execute(
    trx,
  );
  const outcome = OUTCOMES[i % OUTCOMES.length] as string;
  await sql`SELECT id FROM leads WHERE id = ${leadId} FOR UPDATE`.execute(trx);
  await sql`UPDATE call_attempts SET state = 'ended', outcome = ${outcome}, answered = ${outcome !== "NO_ANSWER"},
              transferred = ${outcome === "TRANSFERRED"}, price = 0.09, duration_seconds = 42, ended_at = now()
            WHERE id = ${id}`.execute(trx);
  await sql`UPDATE leads SET last_outcome = ${outcome}, updated_at = now() WHERE id = ${leadId}`.execute(trx);
}

async function setReportTriggers(db: Db, action: "ENABLE" | "DISABLE"): Promise<void> {
  for (const [table, names] of Object.entries(REPORT_TRIGGERS)) {
    for (const name of names) {
      await sql`ALTER TABLE ${sql.table(table)} ${sql.raw(action)} TRIGGER ${sql.ref(name)}`.execute(db);
    }
  }
}

async function round(db: Db, leadIds: number[], day: string, triggers: boolean): Promise<number> {
  if (!triggers) await setReportTriggers(db, "DISABLE");
  try {
    const started = performance.now();
    for (const [i, leadId] of leadIds.entries()) {
      await db.transaction().execute((trx) => oneCall(trx, leadId, day, i));
    }
    return performance.now() - started;
  } finally {
    if (!triggers) await setReportTriggers(db, "ENABLE");
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "database-url": { type: "string" },
      calls: { type: "string", default: "500" },
      rounds: { type: "string", default: "5" },
    },
  });
  const url = values["database-url"];
  if (!url) throw new Error("--database-url is required: a migrated database with leads (seed-scale.ts)");
  const db = createDb(url, { max: 1 });
  try {
    const calls = Number(values.calls);
    const { rows } = await sql<{ id: number; day: string }>`
      SELECT id, (SELECT coalesce(max(campaign_day), current_date)::text FROM call_attempts) AS day
      FROM leads WHERE status <> 'completed' ORDER BY random() LIMIT ${calls}`.execute(db);
    const leadIds = rows.map((r) => r.id);
    const day = rows[0]?.day ?? "2026-01-01";
    const on: number[] = [];
    const off: number[] = [];
    for (let r = 0; r < Number(values.rounds); r++) {
      off.push(await round(db, leadIds, day, false));
      on.push(await round(db, leadIds, day, true));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const perCall = (xs: number[]) => (median(xs) / leadIds.length).toFixed(3);
    console.log(
      `${leadIds.length} calls (one transaction each: 3 writes to call_attempts, 3 updates of leads, 2 lead locks)`,
    );
    console.log(`triggers off: median ${median(off).toFixed(0)} ms, ${perCall(off)} ms per call`);
    console.log(`triggers on:  median ${median(on).toFixed(0)} ms, ${perCall(on)} ms per call`);
    console.log(`overhead:     ${(((median(on) - median(off)) / median(off)) * 100).toFixed(0)}%`);
    await sql`SELECT report_rollups_rebuild()`.execute(db);
  } finally {
    await db.destroy();
  }
}

await main();
