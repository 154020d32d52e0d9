/**
 * Times every report on a seeded database (see seed-scale.ts) against a baseline measured in the
 * same run: `SELECT count(*) FROM call_attempts`. Applies pending migrations (report indexes) first.
 *
 *   node --experimental-strip-types tools/bench/src/reports/reports.ts --database-url postgres://postgres@127.0.0.1:5432/redial_bench \
 *     [--runs 5] [--timezone America/New_York] [--today YYYY-MM-DD]
 *
 * Periods: the whole campaign (first lead's day … today), the last 7 days, and today alone.
 */
import { parseArgs } from "node:util";
import { createDb, type Db, migrate } from "@redial/db";
import { breakdownReport, capacityReport, previousDay, rangeReport, totalsReport } from "@redial/reports";
import { sql } from "kysely";

const TARGET_MS = 1000;

interface Timing {
  name: string;
  medianMs: number;
  minMs: number;
}

async function time(name: string, runs: number, run: () => Promise<unknown>): Promise<Timing> {
  await run(); // warm the cache and the plan
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return { name, medianMs: ms[Math.floor(ms.length / 2)] ?? 0, minMs: ms[0] ?? 0 };
}

function daysBefore(day: string, n: number): string {
  let d = day;
  for (let i = 0; i < n; i++) d = previousDay(d);
  return d;
}

async function campaignBounds(db: Db, timezone: string) {
  const { rows } = await sql<{ first: string; last: string; leads: number; attempts: number }>`
    SELECT (SELECT (min(created_at) AT TIME ZONE ${timezone}::text)::date::text FROM leads) AS first,
           (SELECT max(campaign_day)::text FROM call_attempts) AS last,
           (SELECT count(*)::int FROM leads) AS leads,
           (SELECT reltuples::bigint FROM pg_class WHERE relname = 'call_attempts') AS attempts`.execute(db);
  const row = rows[0];
  if (!row?.first || !row.last)
    throw new Error("The database has no leads or attempts: run seed-scale.ts first.");
  return row;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "database-url": { type: "string" },
      runs: { type: "string", default: "5" },
      timezone: { type: "string", default: "America/New_York" },
      today: { type: "string" },
    },
  });
  const url = values["database-url"];
  if (!url) throw new Error("--database-url is required: the database seed-scale.ts filled");
  const { applied } = await migrate(url);
  if (applied.length > 0) console.log(`applied migrations: ${applied.join(", ")}`);
  const db = createDb(url, { max: 10 });
  try {
    await bench(db, Number(values.runs), values.timezone, values.today);
  } finally {
    await db.destroy();
  }
}

async function bench(db: Db, runs: number, timezone: string, todayArg: string | undefined): Promise<void> {
  const bounds = await campaignBounds(db, timezone);
  const today = todayArg ?? bounds.last;
  console.log(
    `${bounds.leads.toLocaleString("en-US")} leads, ~${Number(bounds.attempts).toLocaleString("en-US")} attempts`,
  );
  console.log(`campaign ${bounds.first} … ${today} (${timezone}), median of ${runs} warm runs\n`);
  const periods = {
    all: { from: bounds.first, to: today, timezone, today },
    "7d": { from: daysBefore(today, 6), to: today, timezone, today },
    today: { from: today, to: today, timezone, today },
  };
  const capacity = {
    callingMinutesPerDay: 540,
    maxPerDay: 8,
    dialLimits: {
      ratePerSecond: 5,
      maxConcurrent: 100,
      maxPerHour: null,
      maxPerDay: null,
      avgCallSeconds: 90,
    },
  };
  const baseline = await time("baseline: SELECT count(*) FROM call_attempts", runs, () =>
    sql`SELECT count(*) FROM call_attempts`.execute(db),
  );
  const timings: Timing[] = [];
  for (const [label, p] of Object.entries(periods)) {
    timings.push(await time(`breakdown (${label})`, runs, () => breakdownReport(db, p)));
    timings.push(await time(`range (${label})`, runs, () => rangeReport(db, p)));
  }
  timings.push(await time("totals", runs, () => totalsReport(db, { timezone, today })));
  timings.push(await time("capacity", runs, () => capacityReport(db, capacity)));
  print(baseline, timings);
}

function print(baseline: Timing, timings: Timing[]): void {
  const width = Math.max(...[baseline, ...timings].map((t) => t.name.length));
  const line = (t: Timing, extra: string) =>
    `${t.name.padEnd(width)}  median ${t.medianMs.toFixed(0).padStart(6)} ms  min ${t.minMs.toFixed(0).padStart(6)} ms${extra}`;
  console.log(line(baseline, ""));
  for (const t of timings) {
    const ratio = (t.medianMs / baseline.medianMs).toFixed(2);
    const verdict = t.medianMs < TARGET_MS ? "ok" : `OVER ${TARGET_MS} ms`;
    console.log(line(t, `  ${ratio.padStart(5)}× baseline  ${verdict}`));
  }
}

await main();
