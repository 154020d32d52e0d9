/**
 * Peak RSS of `redial backfill bland` for 10,000 and for 1,000,000 simulated calls (the
 * requirement: the second within 20% of the first). The simulator and the database set-up run in
 * this process; each backfill runs in a child process (default heap settings) that reports
 * process.resourceUsage().maxRSS when it is done. The child runs with the same heap cap as the
 * root `backfill` scripts (--max-old-space-size=384): without it V8 grows the heap long before it
 * collects, and peak RSS follows the run length although the heap held after GC does not.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --experimental-strip-types tools/bench/src/backfill-memory.ts [10000 1000000]
 *
 * DATABASE_URL names a server; a scratch database per size is created there and dropped.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { backfillBland } from "@redial/cli";
import { createDb, migrate } from "@redial/db";
import { prepareQueues } from "@redial/jobs";
import { startSimulator } from "@redial/simulator";
import { sql } from "kysely";

const RANGE = { from: "2025-12-01", to: "2026-01-07" };
const HISTORY = { historyFrom: "2025-12-01T05:00:00Z", historyTo: "2026-01-08T05:00:00Z" };

if (process.argv[2] === "--child") await child();
else await parent(process.argv.slice(2).map(Number));

async function parent(sizes: number[]): Promise<void> {
  const server = process.env.DATABASE_URL;
  if (!server)
    throw new Error("DATABASE_URL: the URL of a PostgreSQL server where scratch databases may be created");
  const results = [];
  for (const calls of sizes.length > 0 ? sizes : [10_000, 1_000_000]) {
    const simulator = await startSimulator({ ...HISTORY, historyCalls: calls });
    const name = `redial_backfill_bench_${process.pid}_${calls}`;
    await admin(server, `CREATE DATABASE ${name}`);
    const url = new URL(server);
    url.pathname = `/${name}`;
    try {
      await migrate(url.toString());
      await prepareQueues(url.toString());
      const result = await runChild({
        ...process.env,
        DATABASE_URL: url.toString(),
        BLAND_API_URL: simulator.url,
        BLAND_API_KEY: simulator.state.options.blandApiKey,
        CONVOSO_API_URL: simulator.url,
        CONVOSO_AUTH_TOKEN: simulator.state.options.convosoToken,
        CONVOSO_RATE_PER_SECOND: "2000",
        LOG_LEVEL: "silent",
      });
      results.push({ calls, ...result });
      process.stdout.write(`${JSON.stringify({ calls, ...result })}\n`);
    } finally {
      await simulator.close();
      await admin(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  }
  const [small, large] = results;
  if (small && large) {
    const ratio = large.maxRssMb / small.maxRssMb;
    process.stdout.write(
      `peak RSS ${small.calls} calls: ${small.maxRssMb} MB; ${large.calls} calls: ${large.maxRssMb} MB; ratio ${ratio.toFixed(3)} (${ratio <= 1.2 ? "within" : "OVER"} 20%)\n`,
    );
  }
}

function runChild(
  env: NodeJS.ProcessEnv,
): Promise<{ maxRssMb: number; heapAfterGcMb: number; seconds: number; summary: unknown }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ["--expose-gc", "--max-old-space-size=384", fileURLToPath(import.meta.url), "--child"],
      {
        env,
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    proc.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    proc.once("error", reject);
    proc.once("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
      if (code !== 0 || !line) reject(new Error(`backfill child exited with ${code}: ${out.slice(-2000)}`));
      else resolve(JSON.parse(line.slice("BENCH_RESULT ".length)));
    });
  });
}

async function child(): Promise<void> {
  const started = Date.now();
  const summary = await backfillBland(
    { ...RANGE, batchSize: 50 },
    {
      env: process.env,
      write: () => undefined,
      writeProgress: (line) => process.stderr.write(`${line}\n`),
      isTTY: false,
    },
  );
  const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  // What is still held once the run is over (retention), as opposed to the peak the allocator reached.
  (globalThis as { gc?: () => void }).gc?.();
  const heapAfterGcMb = Math.round(process.memoryUsage().heapUsed / 1e6);
  const { phones: _phones, failures, ...numbers } = summary;
  process.stdout.write(
    `BENCH_RESULT ${JSON.stringify({ maxRssMb, heapAfterGcMb, seconds: Math.round((Date.now() - started) / 1000), summary: { ...numbers, failures: failures.count } })}\n`,
  );
  process.exit(0);
}

async function admin(serverUrl: string, statement: string): Promise<void> {
  const db = createDb(serverUrl, { max: 1 });
  try {
    await sql.raw(statement).execute(db);
  } finally {
    await db.destroy();
  }
}
