/**
 * Webhook intake: signed Bland call-ended deliveries posted over real HTTP (undici, keep-alive) to
 * the real API process, at an offered rate stepped up until the p99 latency passes the target; the
 * sustained rate is the highest step that held it, printed as a ratio to `pgbench -N`
 * transactions/s on the same server in the same run (measured before and after the steps). Every
 * delivery binds to a call in progress seeded in a scratch database; some are duplicates (the same
 * bytes again). Afterwards every event must be stored once and every result applied once.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --experimental-strip-types tools/bench/src/webhook-intake.ts \
 *     [--from 100] [--factor 1.25] [--step-seconds 5] [--connections 32] [--duplicates 0.05] \
 *     [--pgbench-clients 8] [--pgbench-seconds 10] [--statements]
 *
 * DATABASE_URL names a server; two scratch databases are created there (intake, pgbench) and dropped.
 * API_ENV='NAME=value …' passes settings to the API process (e.g. to compare an intake setting).
 */
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { createDb, migrate } from "@redial/db";
import { prepareQueues } from "@redial/jobs";
import { waitFor } from "@redial/testing";
import { sql } from "kysely";
import { Pool } from "undici";
import { createScratchDatabase } from "./scratch-database.ts";
import { startApiProcess } from "./webhook-intake/api-process.ts";
import { deliverySource } from "./webhook-intake/deliveries.ts";
import { offerLoad, quantile, type StepResult } from "./webhook-intake/offered-load.ts";
import { pgbenchSimpleUpdates } from "./webhook-intake/pgbench.ts";
import { intakeCpu, intakeCpuBetween } from "./webhook-intake/process-cpu.ts";
import { seedOpenCalls } from "./webhook-intake/seed-calls.ts";
import { countStored, topStatements } from "./webhook-intake/stored-check.ts";

const P99_TARGET_MS = 50;
const RATIO_GOAL = 0.5;
const SECRET = "bench-webhook-secret";

const { values: args } = parseArgs({
  options: {
    from: { type: "string", default: "100" },
    factor: { type: "string", default: "1.25" },
    "step-seconds": { type: "string", default: "5" },
    connections: { type: "string", default: "32" },
    duplicates: { type: "string", default: "0.05" },
    calls: { type: "string", default: "30000" },
    "pgbench-clients": { type: "string", default: "8" },
    "pgbench-seconds": { type: "string", default: "10" },
    statements: { type: "boolean", default: false },
  },
});
const options = {
  from: Number(args.from),
  factor: Number(args.factor),
  stepSeconds: Number(args["step-seconds"]),
  connections: Number(args.connections),
  duplicates: Number(args.duplicates),
  calls: Number(args.calls),
  pgbenchClients: Number(args["pgbench-clients"]),
  pgbenchSeconds: Number(args["pgbench-seconds"]),
};
const apiEnv = Object.fromEntries(
  (process.env.API_ENV ?? "")
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => pair.split("=", 2) as [string, string]),
);

const intake = await createScratchDatabase("redial_webhook_intake");
const pgbenchDb = await createScratchDatabase("redial_webhook_pgbench");
const db = createDb(intake.url, { max: 2 });
let api: Awaited<ReturnType<typeof startApiProcess>> | undefined;
try {
  await migrate(intake.url);
  await prepareQueues(intake.url);
  await sql`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`.execute(db);
  // --statements: the statements inside our SQL functions and triggers too (the API connects after this).
  if (args.statements)
    await sql`ALTER DATABASE ${sql.ref(intake.name)} SET pg_stat_statements.track = 'all'`.execute(db);
  const calls = await seedOpenCalls(db, options.calls);
  api = await startApiProcess(intake.url, SECRET, apiEnv);
  const pool = new Pool(api.url, {
    connections: options.connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
  });
  const source = deliverySource(calls, SECRET, options.duplicates);
  const maxInFlight = options.connections * 50;
  const warmUp = await offerLoad(pool, () => source.next(), 50, 2, maxInFlight); // JIT, pool, caches: not reported
  const pgbenchBefore = await pgbenchSimpleUpdates(pgbenchDb.url, {
    clients: options.pgbenchClients,
    seconds: options.pgbenchSeconds,
    initialized: false,
  });
  await sql`SELECT pg_stat_statements_reset()`.execute(db);
  console.log(
    "offered/s  answered/s    p50 ms    p99 ms  failed  duplicates answered  CPU ms per delivery: api + postgres",
  );
  const steps: StepResult[] = [];
  const cpus: { api: number; postgres: number }[] = [];
  let failing = 0;
  for (let rate = options.from; failing < 2; rate = Math.round(rate * options.factor)) {
    const cpuBefore = await intakeCpu(db, api.pid, intake.name);
    const step = await offerLoad(pool, () => source.next(), rate, options.stepSeconds, maxInFlight);
    const cpuAfter = await intakeCpu(db, api.pid, intake.name);
    // Applied after the answer (WEBHOOK_APPLY_AFTER_ANSWER), results must keep up: at most 1 s of them waiting.
    step.pending = (await countStored(db)).pending;
    const spent = intakeCpuBetween(cpuBefore, cpuAfter);
    const cpu = { api: spent.apiMs / step.sent, postgres: spent.postgresMs / step.sent };
    steps.push(step);
    cpus.push(cpu);
    const held = holds(step);
    failing = held ? 0 : failing + 1;
    console.log(
      `${String(rate).padStart(9)}  ${step.achieved.toFixed(1).padStart(10)}  ${ms(quantile(step.latencies, 0.5))}  ${ms(quantile(step.latencies, 0.99))}  ${String(step.failed).padStart(6)}  ${String(step.duplicatesAnswered).padStart(19)}  ${cpu.api.toFixed(2)} + ${cpu.postgres.toFixed(2)}  pending ${step.pending}${held ? "" : "  (p99 over target, or results behind)"}${step.firstFailure ? `  first failure: ${step.firstFailure}` : ""}`,
    );
    if (step.exhausted) {
      console.log(`ran out of seeded calls (--calls ${options.calls}): the ladder stops here`);
      break;
    }
  }
  const statements = args.statements ? await topStatements(db, 25) : [];
  const pgbenchAfter = await pgbenchSimpleUpdates(pgbenchDb.url, {
    clients: options.pgbenchClients,
    seconds: options.pgbenchSeconds,
    initialized: true,
  });
  await pool.close();
  await waitFor(async () => (await countStored(db)).pending === 0, "every stored event's result", 120_000, {
    everyMs: 250,
  });
  const stored = await countStored(db);
  const sent = steps.reduce((n, s) => n + s.sent, warmUp.sent);
  const best = steps.filter(holds).at(-1);
  const pgbench = (pgbenchBefore + pgbenchAfter) / 2;
  const sustained = best?.offered ?? 0;
  const ratio = sustained / pgbench;
  console.log("");
  console.log(
    `sustained rate: ${sustained}/s with p99 ≤ ${P99_TARGET_MS} ms (p50 ${fixed(best ? quantile(best.latencies, 0.5) : Number.NaN)} ms, p99 ${fixed(best ? quantile(best.latencies, 0.99) : Number.NaN)} ms)   p99 ≤ ${P99_TARGET_MS} ms ${best ? "ok" : "MISSED"}`,
  );
  console.log(
    `pgbench -N: ${pgbench.toFixed(0)} tps (before ${pgbenchBefore.toFixed(0)}, after ${pgbenchAfter.toFixed(0)}; -c ${options.pgbenchClients} -j 2 -T ${options.pgbenchSeconds})`,
  );
  const peak = Math.max(...steps.map((step) => step.achieved));
  console.log(
    `peak answered: ${peak.toFixed(1)}/s, ${(peak / pgbench).toFixed(2)} of pgbench-N (no latency bound: for comparison only)`,
  );
  console.log(
    `sustained / pgbench-N: ${ratio.toFixed(2)}   goal ≥ ${RATIO_GOAL} ${ratio >= RATIO_GOAL ? "ok" : "MISSED"}`,
  );
  const meanCpu = (key: "api" | "postgres") =>
    cpus.reduce((sum, c, i) => sum + c[key] * (steps[i]?.sent ?? 0), 0) / Math.max(1, sent - warmUp.sent);
  console.log(
    `CPU per delivery over the steps: api ${meanCpu("api").toFixed(2)} ms + postgres ${meanCpu("postgres").toFixed(2)} ms (this run's processes only)`,
  );
  // What the CPU alone allows: every core for the API and its backends, none for the load generator.
  const ceiling = (availableParallelism() * 1000) / (meanCpu("api") + meanCpu("postgres"));
  console.log(
    `CPU ceiling: ${availableParallelism()} cores ÷ CPU per delivery = ${ceiling.toFixed(0)} deliveries/s at most = ${(ceiling / pgbench).toFixed(2)} of pgbench-N (the ratio cannot pass this without less CPU per delivery)`,
  );
  const expectedEvents = source.distinct();
  console.log(
    `stored: ${stored.events} events for ${expectedEvents} distinct bodies sent, ${stored.deliveries} deliveries counted (${sent} sent), results ${JSON.stringify(stored.results)}, ${stored.applied} calls ended by a webhook`,
  );
  const once =
    stored.duplicatesStored === 0 && stored.events === expectedEvents && stored.applied === expectedEvents;
  console.log(
    `duplicates stored: ${stored.duplicatesStored}   every event stored once and applied once: ${once ? "ok" : "MISSED"}`,
  );
  for (const line of statements) console.log(line);
  console.log(`command: ${commandLine()}`);
  if (!once) process.exitCode = 1;
} catch (error) {
  if (api) process.stderr.write(api.output());
  throw error;
} finally {
  await api?.stop();
  await db.destroy();
  await intake.drop();
  await pgbenchDb.drop();
}

function holds(step: StepResult): boolean {
  return (
    step.failed === 0 &&
    !step.exhausted &&
    (step.pending ?? 0) <= step.offered &&
    quantile(step.latencies, 0.99) <= P99_TARGET_MS
  );
}

function ms(value: number): string {
  return fixed(value).padStart(8);
}

function fixed(value: number): string {
  return value.toFixed(1);
}

function commandLine(): string {
  const env = process.env.API_ENV ? `API_ENV='${process.env.API_ENV}' ` : "";
  return `${env}DATABASE_URL=${process.env.DATABASE_URL} node --experimental-strip-types tools/bench/src/webhook-intake.ts ${process.argv.slice(2).join(" ")}`.trim();
}
