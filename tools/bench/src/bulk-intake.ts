/**
 * Bulk intake against a plain COPY (issue 17 item 4). One CSV file of N leads a CRM could export
 * (phone, names, email, state, ZIP and the six consent columns) is, in the same run on the same server:
 *   1. COPYed (client-side COPY FROM STDIN, pg-copy-streams) into a scratch table with the file's
 *      columns and no index: the floor, what moving these rows into PostgreSQL costs at all;
 *   1b. the tables' own floor: the COPYed rows written by three plain set-based statements in one
 *      transaction into the real tables — INSERT … SELECT into leads (phone, names, place, a
 *      schedule), into lead_consents (its trigger derives the leads' consent), and the dial jobs by
 *      redial_dial_jobs_insert — with their indexes, foreign keys and triggers: what the schema
 *      costs without any of our code around it (the COPY into the staging table not timed);
 *   2. sent to `POST /v1/leads/bulk` of the API as a real process over HTTP, in requests of the
 *      API's maximum (10,000 rows), two in flight;
 *   3. imported by `redial leads import FILE` as a real process (peak RSS by /usr/bin/time), and the
 *      same for a file of min(10,000, N/10) rows, to show memory flat in the file's size.
 * Each writer gets a fresh scratch database. Targets: each path ≥ 0.3 × COPY's rows/s; the
 * importer's peak RSS for N rows within 1.2 × its peak for the small file. Each path's ratio to
 * the tables' own floor is printed beside it: the part of the gap that is our code, not the schema.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --experimental-strip-types tools/bench/src/bulk-intake.ts [rows=1000000]
 */
import { spawn } from "node:child_process";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { finished, pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { migrate } from "@redial/db";
import { prepareQueues } from "@redial/jobs";
import { freePort } from "@redial/testing";
import { parse } from "csv-parse";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { createScratchDatabase, type ScratchDatabase } from "./scratch-database.ts";

const ROWS = Number(process.argv[2] ?? 1_000_000);
const SMALL = Math.min(10_000, Math.max(1, Math.floor(ROWS / 10)));
const API_MAX_BULK = 10_000;
const IN_FLIGHT = 2;
const API_KEY = "bench-bulk-intake-key";
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const COMMAND = `DATABASE_URL=… node --experimental-strip-types tools/bench/src/bulk-intake.ts ${ROWS}`;
const COLUMNS = [
  "phone",
  "first_name",
  "last_name",
  "email",
  "state",
  "zip",
  "consent_type",
  "consent_captured_at",
  "consent_source",
  "consent_ip",
  "consent_text_version",
  "consent_certificate_id",
] as const;
const PLACES = [
  ["212", "NY", "10001"],
  ["305", "FL", "33101"],
  ["404", "GA", "30301"],
  ["617", "MA", "02108"],
  ["312", "IL", "60601"],
  ["213", "CA", "90012"],
  ["206", "WA", "98101"],
  ["713", "TX", "77002"],
  ["602", "AZ", "85004"],
  ["303", "CO", "80202"],
] as const;

const dir = mkdtempSync(join(tmpdir(), "redial-bulk-bench-"));
const scratch: ScratchDatabase[] = [];
const cleanUp = async () => {
  for (const database of scratch.splice(0)) await database.drop();
  rmSync(dir, { recursive: true, force: true });
};
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
try {
  await main();
} finally {
  await cleanUp();
}

async function main(): Promise<void> {
  const file = await writeCsv(join(dir, "leads.csv"), ROWS);
  const small = await writeCsv(join(dir, "leads-small.csv"), SMALL);
  const bytes = statSync(file).size;
  log(
    `file: ${ROWS.toLocaleString("en-US")} rows, ${(bytes / 1e6).toFixed(1)} MB; load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
  );

  const copyDb = await freshDatabase("copy");
  const copy = await timed(() => copyInto(copyDb.url, file));
  log(`COPY into a scratch table: ${rate(ROWS, copy.seconds)} rows/s (${copy.seconds.toFixed(1)} s)`);

  const tablesDb = await freshDatabase("tables");
  const tables = await tablesFloor(tablesDb.url, file);
  await expectLeads(tablesDb.url, ROWS, "the tables' own floor");
  log(
    `the tables' own floor (INSERT … SELECT): ${rate(ROWS, tables.seconds)} rows/s (${tables.seconds.toFixed(1)} s: ${tables.steps})`,
  );

  const apiDb = await freshDatabase("api");
  const api = await timed(() => sendToApi(apiDb.url, file));
  await expectLeads(apiDb.url, ROWS, "POST /v1/leads/bulk");
  log(`POST /v1/leads/bulk: ${rate(ROWS, api.seconds)} rows/s (${api.seconds.toFixed(1)} s)`);

  const importDb = await freshDatabase("import");
  const imported = await timed(() => runImport(importDb.url, file));
  await expectLeads(importDb.url, ROWS, "redial leads import");
  log(
    `redial leads import: ${rate(ROWS, imported.seconds)} rows/s (${imported.seconds.toFixed(1)} s), peak RSS ${imported.value.maxRssMb} MB`,
  );

  const smallDb = await freshDatabase("small");
  const smallRun = await runImport(smallDb.url, small);
  const copyRate = ROWS / copy.seconds;
  const ratio = (seconds: number) => ROWS / seconds / copyRate;
  const ofTables = (seconds: number) => `${(tables.seconds / seconds).toFixed(3)} × the tables' floor`;
  const rss = imported.value.maxRssMb / smallRun.maxRssMb;
  const verdict = (ok: boolean) => (ok ? "ok" : "MISSED");
  log("");
  log(
    `bulk intake of ${ROWS.toLocaleString("en-US")} leads (${(bytes / 1e6).toFixed(1)} MB CSV), load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
  );
  log(`  COPY (floor)            ${rate(ROWS, copy.seconds).padStart(9)} rows/s`);
  log(
    `  the tables' own floor   ${rate(ROWS, tables.seconds).padStart(9)} rows/s  ${ratio(tables.seconds).toFixed(3)} × COPY  (plain INSERT … SELECT into leads, lead_consents, pgboss.job)`,
  );
  log(
    `  POST /v1/leads/bulk     ${rate(ROWS, api.seconds).padStart(9)} rows/s  ${ratio(api.seconds).toFixed(3)} × COPY  target ≥ 0.3 × COPY ${verdict(ratio(api.seconds) >= 0.3)}  (${ofTables(api.seconds)})`,
  );
  log(
    `  redial leads import     ${rate(ROWS, imported.seconds).padStart(9)} rows/s  ${ratio(imported.seconds).toFixed(3)} × COPY  target ≥ 0.3 × COPY ${verdict(ratio(imported.seconds) >= 0.3)}  (${ofTables(imported.seconds)})`,
  );
  log(
    `  importer peak RSS       ${imported.value.maxRssMb} MB for ${(bytes / 1e6).toFixed(1)} MB; ${smallRun.maxRssMb} MB for ${SMALL.toLocaleString("en-US")} rows (${(statSync(small).size / 1e6).toFixed(1)} MB): ${rss.toFixed(2)}×  target ≤ 1.2× (memory flat) ${verdict(rss <= 1.2)}`,
  );
  log(`  command: ${COMMAND}`);
}

async function freshDatabase(label: string): Promise<ScratchDatabase> {
  const database = await createScratchDatabase(`redial_bulk_bench_${label}`);
  scratch.push(database);
  await migrate(database.url);
  await prepareQueues(database.url);
  return database;
}

/** The CSV a CRM would export: every lead with a written consent. */
async function writeCsv(path: string, rows: number): Promise<string> {
  const out = createWriteStream(path);
  out.write(`${COLUMNS.join(",")}\n`);
  for (let i = 0; i < rows; i++) {
    const [area, state, zip] = PLACES[i % PLACES.length] ?? PLACES[0];
    const n = Math.floor(i / PLACES.length);
    const exchange = 200 + Math.floor(n / 10_000);
    const line = String(n % 10_000).padStart(4, "0");
    const minute = String(i % 60).padStart(2, "0");
    const row = `(${area}) ${exchange}-${line},Ann${i},"Lee, ${i}",ann${i}@example.com,${state},${zip},written,2026-01-05T10:${minute}:00-05:00,https://form.example/quote,203.0.113.${i % 250},tcpa-v3,https://cert.trustedform.com/${i.toString(16).padStart(40, "0")}\n`;
    if (!out.write(row)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  out.end();
  await finished(out);
  return path;
}

async function copyInto(url: string, file: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE TABLE copied (${COLUMNS.map((c) => `${c} text`).join(", ")})`);
    await pipeline(
      createReadStream(file),
      client.query(copyFrom(`COPY copied (${COLUMNS.join(", ")}) FROM STDIN WITH (FORMAT csv, HEADER true)`)),
    );
  } finally {
    await client.end();
  }
}

/**
 * The tables' own floor: the file COPYed into a staging table (not timed), then, timed, in one
 * transaction, three plain set-based statements into the real tables as the intake fills them —
 * the leads (E.164 phone, names, email, state, ZIP, a zone, an active schedule due now), their
 * consents (the consent trigger of migrations/repeatable derives each lead's current one), their
 * dial jobs (redial_dial_jobs_insert, packages/jobs: the job shape of every lead's job).
 */
async function tablesFloor(url: string, file: string): Promise<{ seconds: number; steps: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE UNLOGGED TABLE staged (${COLUMNS.map((c) => `${c} text`).join(", ")})`);
    await pipeline(
      createReadStream(file),
      client.query(copyFrom(`COPY staged (${COLUMNS.join(", ")}) FROM STDIN WITH (FORMAT csv, HEADER true)`)),
    );
    await client.query("ANALYZE staged");
    const steps: [string, string][] = [
      [
        "leads",
        `INSERT INTO leads (phone, first_name, last_name, email, state, zip, timezones, states, status,
           next_attempt_at, waiting_reason)
         SELECT '+1' || regexp_replace(s.phone, '\\D', '', 'g'), s.first_name, s.last_name, s.email, s.state,
           s.zip, ARRAY['America/New_York'], ARRAY[s.state], 'active', now(), NULL
         FROM staged s`,
      ],
      [
        "consents",
        `INSERT INTO lead_consents (lead_id, kind, type, captured_at, source, ip, text_version, certificate_id,
           recorded_by)
         SELECT l.id, 'grant', s.consent_type, s.consent_captured_at::timestamptz, s.consent_source, s.consent_ip,
           s.consent_text_version, s.consent_certificate_id, 'bench'
         FROM staged s JOIN leads l ON l.phone = '+1' || regexp_replace(s.phone, '\\D', '', 'g')`,
      ],
      [
        "dial jobs",
        `SELECT redial_dial_jobs_insert(array_agg(l.id), array_agg(0::float8), array_agg(0)) FROM leads l`,
      ],
    ];
    const times: string[] = [];
    const start = performance.now();
    await client.query("BEGIN");
    for (const [name, statement] of steps) {
      const step = performance.now();
      await client.query(statement);
      times.push(`${name} ${((performance.now() - step) / 1000).toFixed(2)} s`);
    }
    await client.query("COMMIT");
    return { seconds: (performance.now() - start) / 1000, steps: times.join(", ") };
  } finally {
    await client.end();
  }
}

/** The file as the API's lead objects, sent 10,000 per request, two requests in flight. */
async function sendToApi(databaseUrl: string, file: string): Promise<void> {
  const api = await startApi(databaseUrl);
  try {
    const inFlight = new Set<Promise<void>>();
    let batch: Record<string, unknown>[] = [];
    const send = (leads: Record<string, unknown>[]) => {
      const request = postBulk(api.url, leads).finally(() => inFlight.delete(request));
      inFlight.add(request);
    };
    for await (const record of createReadStream(file).pipe(parse({ columns: true })) as AsyncIterable<
      Record<(typeof COLUMNS)[number], string>
    >) {
      batch.push({
        phone: record.phone,
        first_name: record.first_name,
        last_name: record.last_name,
        email: record.email,
        state: record.state,
        zip: record.zip,
        consent: {
          type: record.consent_type,
          captured_at: record.consent_captured_at,
          source: record.consent_source,
          ip: record.consent_ip,
          text_version: record.consent_text_version,
          certificate_id: record.consent_certificate_id,
        },
      });
      if (batch.length < API_MAX_BULK) continue;
      send(batch);
      batch = [];
      while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    }
    if (batch.length > 0) send(batch);
    await Promise.all(inFlight);
  } finally {
    await api.stop();
  }
}

async function postBulk(url: string, leads: Record<string, unknown>[]): Promise<void> {
  const response = await fetch(`${url}/v1/leads/bulk`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": API_KEY },
    body: JSON.stringify(leads),
  });
  const body = (await response.json()) as { created?: number; existing?: number };
  if (response.status !== 200 || body.created !== leads.length)
    throw new Error(`POST /v1/leads/bulk answered ${response.status}: ${JSON.stringify(body).slice(0, 500)}`);
}

async function startApi(databaseUrl: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--experimental-strip-types", join(ROOT, "apps/api/src/main.ts")], {
    env: {
      PATH: process.env.PATH ?? "",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      API_KEYS: `bench:${API_KEY}`,
      BLAND_WEBHOOK_SECRET: "bench-webhook-secret",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode} before it was ready`);
    const ready = await fetch(`${url}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error("the API was not ready within 60 s");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** `redial leads import FILE` as the operator runs it, under /usr/bin/time for its peak RSS. */
async function runImport(databaseUrl: string, file: string): Promise<{ maxRssMb: number; summary: string }> {
  const child = spawn(
    "/usr/bin/time",
    [
      "-f",
      "maxrss_kb=%M",
      process.execPath,
      "--experimental-strip-types",
      join(ROOT, "apps/cli/src/main.ts"),
      "leads",
      "import",
      file,
    ],
    { env: { PATH: process.env.PATH ?? "", DATABASE_URL: databaseUrl }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`redial leads import exited with ${code}: ${stderr.slice(-2000)}`);
  const kb = Number(/maxrss_kb=(\d+)/.exec(stderr)?.[1]);
  return { maxRssMb: Math.round(kb / 1024), summary: stdout.trim().split("\n")[0] ?? "" };
}

async function expectLeads(url: string, rows: number, what: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: counts } = await client.query<{ leads: number; consents: number; jobs: number }>(
      `SELECT (SELECT count(*)::int FROM leads) AS leads, (SELECT count(*)::int FROM lead_consents) AS consents,
              (SELECT count(*)::int FROM pgboss.job WHERE name = 'dial') AS jobs`,
    );
    const found = counts[0];
    if (found?.leads !== rows || found.consents !== rows || found.jobs !== rows)
      throw new Error(
        `${what}: expected ${rows} leads, consents and dial jobs, found ${JSON.stringify(found)}`,
      );
  } finally {
    await client.end();
  }
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = performance.now();
  const value = await run();
  return { value, seconds: (performance.now() - start) / 1000 };
}

function rate(rows: number, seconds: number): string {
  return Math.round(rows / seconds).toLocaleString("en-US");
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
