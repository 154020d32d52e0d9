import { createReadStream, createWriteStream, statSync } from "node:fs";
import { basename } from "node:path";
import { finished } from "node:stream/promises";
import {
  type BulkRowResult,
  intakeLeadsBulk,
  type LeadFieldNames,
  parseLeadInput,
  type RedialContext,
  ServiceError,
} from "@redial/services";
import { parse } from "csv-parse";
import { stringify } from "csv-stringify";
import {
  type ColumnMapping,
  columnOfField,
  type ImportField,
  leadObject,
  mapColumns,
} from "./lead-csv-columns.ts";

export interface ImportProgress {
  /** Data rows read so far. */
  rows: number;
  bytes: number;
  totalBytes: number;
}

export interface ImportSummary {
  rows: number;
  /** New leads. */
  created: number;
  /** Known leads the row changed: a new list id or Convoso id, a new address's zones, a new consent. */
  updated: number;
  /** Known leads the row changed nothing of (the phone earlier in the file, or the file imported before). */
  duplicate: number;
  /** Rows refused for a reason of their own (a phone that is not a US number, on the DNC list, an id refused). */
  rejected: number;
  /** Rows of a batch whose transaction failed: nothing of it written; import the file again. */
  notWritten: number;
  /** With --dry-run: rows the intake would admit (nothing is written, so created and updated are not told apart). */
  valid: number;
  /** Optional fields not stored as written (the lead was admitted): listed in the errors file too. */
  warnings: number;
  ignoredColumns: string[];
  /** Where the rejected rows and warnings were written, or null when there were none. */
  errorsFile: string | null;
  dryRun: boolean;
}

export interface ImportOptions {
  file: string;
  overrides: ReadonlyMap<string, ImportField | "ignore">;
  /** Rows per transaction (and per read of the intake). */
  batchSize: number;
  dryRun: boolean;
  /** IANA zone of consent times written without an offset. */
  consentZone?: string | undefined;
  errors: { path: string; always: boolean };
  onProgress?: (progress: ImportProgress) => void;
}

/** The errors file's columns: the row a spreadsheet shows (the header is row 1), its status, the column and why. */
export const ERROR_COLUMNS = ["row", "status", "column", "code", "reason"] as const;

/**
 * Import a CRM's CSV export through the same intake as `POST /v1/leads/bulk`: the file is streamed
 * (csv-parse; memory stays flat in the file's size), every row read by `parseLeadInput`, and each
 * batch written by `intakeLeadsBulk` in one transaction. Re-importing a file writes nothing new
 * (the intake is idempotent by phone, a consent sent again adds nothing). `ctx` null with dryRun:
 * rows are only read and checked.
 */
export async function importLeadsCsv(
  ctx: RedialContext | null,
  options: ImportOptions,
): Promise<ImportSummary> {
  if (!ctx && !options.dryRun) throw new Error("importLeadsCsv: a context is needed unless dryRun");
  const totalBytes = statSync(options.file).size;
  const summary: ImportSummary = {
    rows: 0,
    created: 0,
    updated: 0,
    duplicate: 0,
    rejected: 0,
    notWritten: 0,
    valid: 0,
    warnings: 0,
    ignoredColumns: [],
    errorsFile: null,
    dryRun: options.dryRun,
  };
  const errors = errorsWriter(options.errors);
  const parser = createReadStream(options.file).pipe(
    parse({ bom: true, skip_empty_lines: true, relax_column_count: true, info: true }),
  );
  let mapping: ColumnMapping | undefined;
  let batch: { row: number; lead: Record<string, unknown> }[] = [];
  const via = `csv import ${basename(options.file)}`;
  const flush = async (bytes: number) => {
    if (!mapping || batch.length === 0) return;
    const rows = batch;
    batch = [];
    await writeBatch(ctx, rows, mapping, options, via, summary, errors.write);
    options.onProgress?.({ rows: summary.rows, bytes, totalBytes });
  };
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { bytes: number };
    }>) {
      if (!mapping) {
        mapping = mapColumns(record, options.overrides);
        summary.ignoredColumns = mapping.ignored;
        continue;
      }
      summary.rows += 1;
      // The header is the spreadsheet's row 1; empty lines are skipped and not counted.
      batch.push({ row: summary.rows + 1, lead: leadObject(record, mapping) });
      if (batch.length >= options.batchSize) await flush(info.bytes);
    }
    await flush(totalBytes);
    if (!mapping) throw new Error(`${options.file} is empty: a CSV export starts with a header row.`);
  } finally {
    summary.errorsFile = await errors.close();
  }
  return summary;
}

type ErrorRow = Record<(typeof ERROR_COLUMNS)[number], string | number>;

/** The errors file: opened at the first row to write (or at once when asked for by name). */
function errorsWriter(target: { path: string; always: boolean }) {
  let out: ReturnType<typeof stringify> | undefined;
  let done: Promise<void> | undefined;
  const open = () => {
    out = stringify({ header: true, columns: [...ERROR_COLUMNS] });
    const file = createWriteStream(target.path);
    out.pipe(file);
    done = finished(file);
    return out;
  };
  if (target.always) open();
  return {
    write: (row: ErrorRow) => void (out ?? open()).write(row),
    close: async (): Promise<string | null> => {
      if (!out) return null;
      out.end();
      await done;
      return target.path;
    },
  };
}

async function writeBatch(
  ctx: RedialContext | null,
  rows: readonly { row: number; lead: Record<string, unknown> }[],
  mapping: ColumnMapping,
  options: ImportOptions,
  via: string,
  summary: ImportSummary,
  writeError: (row: ErrorRow) => void,
): Promise<void> {
  const now = ctx ? ctx.now() : new Date();
  const names = Object.fromEntries(
    Object.entries(mapping.columnOf).filter(
      ([field]) => !field.startsWith("consent_") && field !== "timezone",
    ),
  ) as LeadFieldNames;
  const read = (lead: unknown) =>
    parseLeadInput(lead, {
      names,
      now,
      ...(options.consentZone ? { consentZone: options.consentZone } : {}),
    });
  const results: (BulkRowResult | DryResult)[] =
    ctx && !options.dryRun
      ? await intakeLeadsBulk(
          ctx,
          rows.map((r) => r.lead),
          { chunkSize: rows.length, parse: read, via },
        )
      : rows.map((r, index) => dryRead(index, r.lead, read));
  const phoneColumn = mapping.columnOf.phone ?? "phone";
  for (const result of results) {
    const row = rows[result.index]?.row ?? 0;
    if ("lead" in result || result.status === "valid") {
      if (result.status === "created") summary.created += 1;
      else if (result.status === "valid") summary.valid += 1;
      else if (result.changed) summary.updated += 1;
      else summary.duplicate += 1;
      for (const warning of result.warnings) {
        summary.warnings += 1;
        writeError({
          row,
          status: "warning",
          column: columnOfField(mapping, warning.field),
          code: "",
          reason: warning.message,
        });
      }
      continue;
    }
    if (result.status === "rejected") summary.rejected += 1;
    else summary.notWritten += 1;
    const column =
      result.error.field !== undefined
        ? columnOfField(mapping, result.error.field)
        : result.error.code === "invalid_phone" || result.error.code === "phone_on_dnc"
          ? phoneColumn
          : "";
    writeError({ row, status: result.status, column, code: result.error.code, reason: result.error.message });
  }
}

type DryResult =
  | { index: number; status: "valid"; warnings: { field: string; message: string }[] }
  | { index: number; status: "rejected"; error: { code: string; message: string; field?: string } };

function dryRead(
  index: number,
  lead: Record<string, unknown>,
  read: (lead: unknown) => { warnings: { field: string; message: string }[] },
): DryResult {
  try {
    return { index, status: "valid", warnings: read(lead).warnings };
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    return {
      index,
      status: "rejected",
      error: {
        code: error.code,
        message: error.message,
        ...("field" in error ? { field: String(error.field) } : {}),
      },
    };
  }
}
