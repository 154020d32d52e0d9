import { existsSync } from "node:fs";
import { createLogger, parseConfig } from "@redial/config";
import { policyRuntimeOptions, redialPolicyEnv, startRuntime } from "@redial/services";
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { z } from "zod";
import { heapSizeChosen, IMPORT_HEAP_FLAGS, rerunWithHeapFlags } from "./heap-flags.ts";
import { IMPORT_FIELDS, parseMapOptions } from "./lead-csv-columns.ts";
import { type ImportProgress, type ImportSummary, importLeadsCsv } from "./leads-csv-import.ts";

const importEnvSchema = z.object({
  DATABASE_URL: z.string().url({ message: "a postgres:// connection string of the database to import into" }),
  ...redialPolicyEnv,
});

export interface LeadsImportIo {
  env: Record<string, string | undefined>;
  write: (line: string) => void;
  writeProgress: (line: string) => void;
  isTTY?: boolean;
}

export interface LeadsImportOptions {
  map?: string[];
  errors?: string;
  batchSize?: string | number;
  dryRun?: boolean;
  consentZone?: string;
}

/**
 * `redial leads import FILE.csv`: a CRM's export through the intake of `POST /v1/leads/bulk`, a
 * transaction per batch, with a progress bar on a terminal (plain lines otherwise) and a summary;
 * rejected rows and warnings go to the errors file.
 */
export async function leadsImportCommand(
  file: string,
  options: LeadsImportOptions,
  io: LeadsImportIo,
): Promise<ImportSummary> {
  const batchSize = Number(options.batchSize ?? 1000);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
    throw new Error(`--batch-size must be a whole number from 1 to 10000, got "${options.batchSize}"`);
  if (!existsSync(file)) throw new Error(`${file}: no such file`);
  if (options.consentZone && !isZone(options.consentZone))
    throw new Error(
      `--consent-zone must be an IANA zone such as America/New_York, got "${options.consentZone}"`,
    );
  const overrides = parseMapOptions(options.map ?? []);
  const errors = { path: options.errors ?? `${file}.errors.csv`, always: options.errors !== undefined };
  const progress = progressReporter(io);
  const run = {
    file,
    overrides,
    batchSize,
    dryRun: options.dryRun === true,
    consentZone: options.consentZone,
    errors,
  };
  let summary: ImportSummary;
  try {
    if (options.dryRun) summary = await importLeadsCsv(null, { ...run, onProgress: progress.update });
    else {
      const env = parseConfig(importEnvSchema, io.env);
      const runtime = await startRuntime({
        databaseUrl: env.DATABASE_URL,
        ...policyRuntimeOptions(env),
        log: createLogger({ name: "leads-import", level: "warn", pretty: false }),
        poolSize: 2,
      });
      try {
        summary = await importLeadsCsv(runtime.ctx, { ...run, onProgress: progress.update });
      } finally {
        await runtime.stop();
      }
    }
  } finally {
    progress.stop();
  }
  for (const line of summaryLines(summary)) io.write(line);
  return summary;
}

export function summaryLines(s: ImportSummary): string[] {
  const n = (x: number) => x.toLocaleString("en-US");
  return [
    s.dryRun
      ? `dry run: ${n(s.rows)} rows read, ${n(s.valid)} valid, ${n(s.rejected)} rejected (nothing written)`
      : `${n(s.rows)} rows: ${n(s.created)} created, ${n(s.updated)} updated, ${n(s.duplicate)} duplicate, ${n(s.rejected)} rejected${s.notWritten > 0 ? `, ${n(s.notWritten)} not written (their batch failed: import the file again)` : ""}`,
    ...(s.warnings > 0 ? [`${n(s.warnings)} warnings (optional fields not stored as written)`] : []),
    ...(s.ignoredColumns.length > 0
      ? [`columns not imported: ${s.ignoredColumns.join(", ")} (name one with --map "column=field")`]
      : []),
    s.errorsFile ? `rejected rows and warnings: ${s.errorsFile}` : "no row rejected, no warning",
  ];
}

/** A cli-progress bar over the file's bytes on a terminal; a plain line every 5 s otherwise. */
function progressReporter(io: LeadsImportIo): { update: (p: ImportProgress) => void; stop: () => void } {
  const startedAt = Date.now();
  const rate = (rows: number) => (rows / Math.max(0.001, (Date.now() - startedAt) / 1000)).toFixed(0);
  if (io.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: "importing [{bar}] {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}",
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update: (p) => {
        if (!started) bar.start(p.totalBytes, 0, { rows: 0, rate: "0" });
        started = true;
        bar.update(p.bytes, { rows: p.rows.toLocaleString("en-US"), rate: rate(p.rows) });
      },
      stop: () => started && bar.stop(),
    };
  }
  let lastAt = 0;
  return {
    update: (p) => {
      const now = Date.now();
      if (now - lastAt < 5000 && p.bytes < p.totalBytes) return;
      lastAt = now;
      const pct = p.totalBytes > 0 ? Math.floor((p.bytes / p.totalBytes) * 100) : 100;
      io.writeProgress(
        `importing: ${p.rows.toLocaleString("en-US")} rows (${pct}% of the file) at ${rate(p.rows)} rows/s`,
      );
    },
    stop: () => {},
  };
}

export function registerLeadsImportCommand(leads: Command, io: LeadsImportIo): void {
  leads
    .command("import")
    .description(
      "import a CRM's CSV export (header row) through the same intake as POST /v1/leads/bulk; a transaction per batch, idempotent by phone",
    )
    .argument("<file>", "the CSV file (UTF-8, a BOM and CRLF line ends are fine)")
    .option(
      "--map <column=field>",
      `read a column as a field (repeatable); fields: ${IMPORT_FIELDS.join(", ")}, or ignore`,
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      "--errors <file>",
      "where to write rejected rows and warnings (default FILE.errors.csv, when any)",
    )
    .option("--batch-size <n>", "rows per transaction", "1000")
    .option(
      "--consent-zone <zone>",
      "IANA zone of consent times written without an offset (e.g. America/New_York)",
    )
    .option("--dry-run", "read and check every row, write nothing (no database needed)")
    .action(async (file: string, options: LeadsImportOptions) => {
      // In a child Node with a capped heap, so memory stays flat in the file's size; a heap size
      // the operator chose (Node's flags, NODE_OPTIONS) stands.
      if (!heapSizeChosen(process.execArgv, process.env.NODE_OPTIONS)) {
        io.writeProgress(
          `importing in a child Node with ${IMPORT_HEAP_FLAGS.join(" ")} (memory flat in the file's size; NODE_OPTIONS=--max-old-space-size=MB chooses another heap)`,
        );
        process.exit(await rerunWithHeapFlags(IMPORT_HEAP_FLAGS));
      }
      await leadsImportCommand(file, options, io);
    });
}

function isZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
