/**
 * Fills a scratch database with many leads and call attempts, set-based (INSERT … SELECT
 * generate_series, in chunks), to measure the reports at scale. Migrates the database first.
 *
 *   node --experimental-strip-types tools/bench/src/reports/seed-scale.ts --database-url postgres://postgres@127.0.0.1:5432/redial_bench \
 *     --leads 1000000 --attempts 10000000 [--from 2025-12-01] [--days 45] [--timezone America/New_York]
 *
 * Leads are created evenly over `days` campaign days from `from`; attempt g belongs to lead
 * ((g-1) mod leads) + 1, so every lead gets about attempts/leads calls, five hours apart.
 * About 1% of attempts are not_placed, 0.2% still in progress, 10% come from the backfill.
 * The report rollups (migration 0005) are rebuilt once after the load, triggers off meanwhile.
 */
import { parseArgs } from "node:util";
import { createDb, type Db, migrate } from "@redial/db";
import { sql } from "kysely";

const LEAD_CHUNK = 100_000;
const ATTEMPT_CHUNK = 500_000;

interface SeedOptions {
  databaseUrl: string;
  leads: number;
  attempts: number;
  from: string;
  days: number;
  timezone: string;
}

function readOptions(): SeedOptions {
  const { values } = parseArgs({
    options: {
      "database-url": { type: "string" },
      leads: { type: "string", default: "1000000" },
      attempts: { type: "string", default: "10000000" },
      from: { type: "string", default: "2025-12-01" },
      days: { type: "string", default: "45" },
      timezone: { type: "string", default: "America/New_York" },
    },
  });
  const databaseUrl = values["database-url"];
  if (!databaseUrl) throw new Error("--database-url is required: the URL of a scratch database to fill");
  return {
    databaseUrl,
    leads: positive("--leads", values.leads),
    attempts: positive("--attempts", values.attempts),
    from: values.from,
    days: positive("--days", values.days),
    timezone: values.timezone,
  };
}

function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} expects a positive integer, got "${value}"`);
  return n;
}

async function seedLeads(db: Db, o: SeedOptions, first: number, last: number): Promise<void> {
  await sql`
    INSERT INTO leads (phone, state, timezones, states, status, final_outcome, last_outcome,
                       attempts_total, created_at, completed_at)
    SELECT '+1' || (2000000000 + g)::text, 'FL', '{America/New_York}', '{FL}',
           CASE WHEN r < 0.05 THEN 'completed' WHEN r < 0.06 THEN 'paused'
                WHEN r < 0.30 THEN 'daily_max_reached' ELSE 'active' END,
           CASE WHEN r < 0.02 THEN 'SALE' WHEN r < 0.05 THEN 'DNC' END,
           CASE WHEN r < 0.02 THEN 'SALE' WHEN r < 0.05 THEN 'DNC' WHEN r2 < 0.05 THEN NULL
                ELSE (ARRAY['TRANSFERRED','CALLBACK','VOICEMAIL','NO_ANSWER','BUSY','NOT_INTERESTED',
                            'FAILED','UNKNOWN'])[1 + floor(r2 * 8)::int] END,
           ${Math.round(o.attempts / o.leads)},
           created, CASE WHEN r < 0.05 THEN created + interval '2 days' END
    FROM (
      SELECT g, random() AS r, random() AS r2,
             (${o.from}::text::date::timestamp AT TIME ZONE ${o.timezone}::text)
               + ((g - 1)::float8 / ${o.leads}) * ${o.days}::int * interval '1 day' AS created
      FROM generate_series(${first}::bigint, ${last}::bigint) AS g
    ) s`.execute(db);
}

async function seedAttempts(db: Db, o: SeedOptions, first: number, last: number): Promise<void> {
  await sql`
    INSERT INTO call_attempts (lead_id, attempt_number, campaign_day, dialed_at, state, origin,
                               bland_call_id, outcome, answered, duration_seconds, price, transferred,
                               ended_at, result_source)
    SELECT lead_id, attempt_number, (dialed AT TIME ZONE ${o.timezone}::text)::date, dialed,
           CASE WHEN r < 0.01 THEN 'not_placed' WHEN r < 0.012 THEN 'in_progress' ELSE 'ended' END,
           CASE WHEN g % 10 = 0 THEN 'backfill' ELSE 'dialer' END,
           CASE WHEN r >= 0.01 THEN 'seed-' || g END,
           CASE WHEN r >= 0.012 THEN outcome END,
           CASE WHEN r >= 0.012 THEN outcome IN ('SALE','DNC','TRANSFERRED','CALLBACK','NOT_INTERESTED') END,
           CASE WHEN r >= 0.012 THEN round((r2 * 300)::numeric, 2) END,
           CASE WHEN r >= 0.012 THEN round((r2 * 0.45)::numeric, 4) END,
           CASE WHEN r >= 0.012 THEN outcome IN ('SALE','TRANSFERRED') END,
           CASE WHEN r >= 0.012 THEN dialed + interval '2 minutes' END,
           CASE WHEN r >= 0.012 THEN 'webhook' END
    FROM (
      SELECT g, l.id AS lead_id, ((g - 1) / ${o.leads}) + 1 AS attempt_number, r, r2,
             l.created_at + ((g - 1) / ${o.leads}) * interval '5 hours' + r2 * interval '1 hour' AS dialed,
             CASE WHEN r2 < 0.01 THEN 'SALE' WHEN r2 < 0.03 THEN 'DNC' WHEN r2 < 0.08 THEN 'TRANSFERRED'
                  WHEN r2 < 0.11 THEN 'CALLBACK' WHEN r2 < 0.41 THEN 'VOICEMAIL' WHEN r2 < 0.76 THEN 'NO_ANSWER'
                  WHEN r2 < 0.84 THEN 'BUSY' WHEN r2 < 0.90 THEN 'NOT_INTERESTED' WHEN r2 < 0.95 THEN 'FAILED'
                  ELSE 'UNKNOWN' END AS outcome
      FROM (SELECT g, random() AS r, random() AS r2 FROM generate_series(${first}::bigint, ${last}::bigint) AS g) s
      JOIN leads l ON l.id = ((g - 1) % ${o.leads}) + 1
    ) a`.execute(db);
}

async function inChunks(
  label: string,
  total: number,
  size: number,
  run: (first: number, last: number) => Promise<void>,
): Promise<void> {
  const started = performance.now();
  for (let first = 1; first <= total; first += size) {
    const last = Math.min(total, first + size - 1);
    await run(first, last);
    const seconds = (performance.now() - started) / 1000;
    const rate = Math.round(last / seconds);
    const eta = Math.round((total - last) / rate);
    console.log(
      `${label}: ${last.toLocaleString("en-US")}/${total.toLocaleString("en-US")} (${rate}/s, ETA ${eta}s)`,
    );
  }
}

/**
 * The rollup triggers of migration 0005 are built for the dial loop's small statements: a bulk
 * load runs without them and rebuilds the rollups once at the end (the same function the
 * migration's backfill runs). Afterwards the triggers are on, as in production.
 */
async function setReportTriggers(db: Db, action: "ENABLE" | "DISABLE"): Promise<void> {
  for (const table of ["leads", "call_attempts"]) {
    const prefix = table === "leads" ? "report_leads" : "report_attempts";
    for (const event of ["inserted", "updated", "deleted"]) {
      await sql`ALTER TABLE ${sql.table(table)} ${sql.raw(action)} TRIGGER ${sql.ref(`${prefix}_${event}`)}`.execute(
        db,
      );
    }
  }
}

async function main(): Promise<void> {
  const o = readOptions();
  await migrate(o.databaseUrl);
  const db = createDb(o.databaseUrl, { max: 1 });
  try {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM leads`.execute(db);
    if ((rows[0]?.n ?? 0) > 0) {
      throw new Error("The database already has leads: seed an empty scratch database (createdb a new one).");
    }
    await setReportTriggers(db, "DISABLE");
    await inChunks("leads", o.leads, LEAD_CHUNK, (a, b) => seedLeads(db, o, a, b));
    await inChunks("attempts", o.attempts, ATTEMPT_CHUNK, (a, b) => seedAttempts(db, o, a, b));
    console.log("report rollups (report_rollups_rebuild, as migrations 0005 and 0006 backfill)…");
    await sql`SELECT report_rollups_rebuild()`.execute(db);
    await setReportTriggers(db, "ENABLE");
    console.log("vacuum analyze…");
    await sql`VACUUM (ANALYZE) leads`.execute(db);
    await sql`VACUUM (ANALYZE) call_attempts`.execute(db);
    for (const table of [
      "report_leads_totals",
      "report_transferred_leads",
      "report_call_days_totals",
      "report_lead_days_totals",
    ]) {
      await sql`VACUUM (ANALYZE) ${sql.table(table)}`.execute(db);
    }
    console.log("done");
  } finally {
    await db.destroy();
  }
}

await main();
