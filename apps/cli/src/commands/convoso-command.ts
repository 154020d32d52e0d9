import { parseConfig } from "@redial/config";
import {
  type ConvosoStatus,
  type ConvosoStatusReading,
  createConvosoClient,
  parseStatusOverrides,
  readConvosoStatus,
} from "@redial/convoso";
import { createDb } from "@redial/db";
import { loadConvosoStatuses, refreshConvosoStatuses } from "@redial/services";
import type { Command } from "commander";
import { z } from "zod";

const convosoEnvSchema = z
  .object({
    CONVOSO_API_URL: z.string().url().default("https://api.convoso.com"),
    CONVOSO_AUTH_TOKEN: z.string().min(1).optional(),
    DATABASE_URL: z.string().url({ message: "a postgres:// connection string" }).optional(),
    CONVOSO_STATUS_MAP: z.string().optional(),
  })
  .refine((env) => env.CONVOSO_AUTH_TOKEN || env.DATABASE_URL, {
    message: "set CONVOSO_AUTH_TOKEN (to ask Convoso) or DATABASE_URL (to read the cached table)",
    path: ["CONVOSO_AUTH_TOKEN"],
  });

export interface ConvosoCommandIo {
  env: Record<string, string | undefined>;
  write: (line: string) => void;
}

export interface StatusRow extends ConvosoStatusReading {
  name: string;
  flags: string;
}

/**
 * `redial convoso statuses [--json]`: the account's status table and how Redial treats each code
 * (sale, dnc, bad_number, other) and why. With CONVOSO_AUTH_TOKEN it asks Convoso now (and, with
 * DATABASE_URL, refreshes the cached copy every process reads); with DATABASE_URL alone it shows
 * the cached copy. CONVOSO_STATUS_MAP's STATUS:treatment entries apply on top, as in production.
 */
export async function convosoStatusesCommand(
  options: { json?: boolean },
  io: ConvosoCommandIo,
): Promise<StatusRow[]> {
  const env = parseConfig(convosoEnvSchema, io.env);
  const overrides = parseStatusOverrides(env.CONVOSO_STATUS_MAP ?? "");
  const { statuses, source } = await statusTable(env);
  const codes = [...statuses.map((s) => s.code), ...Object.keys(overrides)];
  const rows = [...new Set(codes.map((c) => c.toUpperCase()))].map((code) => {
    const status = statuses.find((s) => s.code.toUpperCase() === code);
    return {
      ...readConvosoStatus(code, statuses, overrides),
      name: status?.name ?? "(not in the account's table)",
      flags: status ? flagsOf(status) : "",
    };
  });
  if (options.json) io.write(JSON.stringify({ source, statuses: rows }, null, 2));
  else printTable(rows, source, io.write);
  return rows;
}

async function statusTable(
  env: z.infer<typeof convosoEnvSchema>,
): Promise<{ statuses: ConvosoStatus[]; source: string }> {
  const db = env.DATABASE_URL ? createDb(env.DATABASE_URL, { max: 2 }) : undefined;
  try {
    if (env.CONVOSO_AUTH_TOKEN) {
      const convoso = createConvosoClient({
        baseUrl: env.CONVOSO_API_URL,
        authToken: env.CONVOSO_AUTH_TOKEN,
      });
      const statuses = db
        ? await refreshConvosoStatuses(db, convoso, new Date())
        : await convoso.searchStatuses();
      return { statuses, source: `Convoso /status/search${db ? " (cached table refreshed)" : ""}` };
    }
    const cached = await loadConvosoStatuses(db as NonNullable<typeof db>);
    const when = cached.fetchedAt
      ? `fetched ${cached.fetchedAt.toISOString()}`
      : "never fetched: names decide";
    return { statuses: cached.statuses, source: `the cached table (${when})` };
  } finally {
    await db?.destroy();
  }
}

function flagsOf(status: ConvosoStatus): string {
  const flags = (["final", "success", "dnc", "callback", "reached", "contact", "voicemail"] as const).filter(
    (flag) => status[flag],
  );
  return flags.join(",");
}

function printTable(rows: readonly StatusRow[], source: string, write: (line: string) => void): void {
  write(`Convoso statuses from ${source}: ${rows.length} codes`);
  const header = ["code", "treatment", "flags", "name", "why"];
  const cells = rows.map((r) => [r.code, r.treatment, r.flags, r.name, r.reason]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  write(line(header));
  for (const row of cells) write(line(row));
}

export function registerConvosoCommands(program: Command, io: ConvosoCommandIo): void {
  const convoso = program.command("convoso").description("the Convoso account as Redial reads it");
  convoso
    .command("statuses")
    .description("the account's status table and how each code is treated (sale, dnc, bad_number, other)")
    .option("--json", "JSON instead of a table")
    .action(async (options: { json?: boolean }) => {
      await convosoStatusesCommand(options, io);
    });
}
