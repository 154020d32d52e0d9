import { type ConvosoStatus, classifyConvosoStatus, createConvosoClient } from "@redial/convoso";
import { createTestDatabase, type TestDatabase } from "@redial/db/testing";
import { DEFAULT_SCHEDULER_CONFIG, normalizeOutcome, normalizePhone } from "@redial/domain";
import { type BackfillProgress, type BackfillSummary, campaignRange } from "@redial/services";
import { type RunningSimulator, startSimulator } from "@redial/simulator";
import { sql } from "kysely";
import {
  type BackfillIo,
  type BlandFlags,
  backfillBland,
  backfillWebhookLogs,
  type WebhookLogsFlags,
} from "../src/commands/backfill-command.ts";

/** The simulator's history: 2,000 calls over Dec 1 – Jan 8 (≈ 52 a day, ≈ 5 per phone). */
export const HISTORY = {
  historyCalls: 2000,
  historyFrom: "2025-12-01T05:00:00Z",
  historyTo: "2026-01-08T05:00:00Z",
};
export const RANGE = { from: "2025-12-10", to: "2025-12-12" };

export interface BackfillWorld {
  database: TestDatabase;
  simulator: RunningSimulator;
  env: Record<string, string>;
  bland(flags: Partial<BlandFlags>, hooks?: Hooks): Promise<BackfillSummary>;
  webhookLogs(flags: WebhookLogsFlags, hooks?: Hooks): Promise<BackfillSummary>;
  rowCounts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

interface Hooks {
  signal?: AbortSignal;
  onProgress?: (p: BackfillProgress) => void;
  output?: string[];
}

/** A fresh database and a simulator over real HTTP; the command runs in-process like the CLI's. */
export async function startBackfillWorld(simulator?: RunningSimulator): Promise<BackfillWorld> {
  const database = await createTestDatabase();
  const sim = simulator ?? (await startSimulator(HISTORY));
  const env = {
    DATABASE_URL: database.url,
    BLAND_API_URL: sim.url,
    BLAND_API_KEY: sim.state.options.blandApiKey,
    CONVOSO_API_URL: sim.url,
    CONVOSO_AUTH_TOKEN: sim.state.options.convosoToken,
    CONVOSO_RATE_PER_SECOND: "1000",
    LOG_LEVEL: "silent",
  };
  const io = (hooks: Hooks = {}): BackfillIo => ({
    env,
    write: (text) => hooks.output?.push(text),
    writeProgress: () => undefined,
    isTTY: false,
    signal: hooks.signal,
    onProgress: hooks.onProgress,
  });
  return {
    database,
    simulator: sim,
    env,
    bland: (flags, hooks) => backfillBland({ ...RANGE, ...flags }, io(hooks)),
    webhookLogs: (flags, hooks) => backfillWebhookLogs(flags, io(hooks)),
    rowCounts: () => rowCounts(database),
    close: async () => {
      await database.drop();
      if (!simulator) await sim.close();
    },
  };
}

const TABLES = [
  "leads",
  "call_attempts",
  "dnc_phones",
  "backfill_runs",
  "backfill_phones",
  "backfill_failures",
];

async function rowCounts(database: TestDatabase): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(
      database.db,
    );
    counts[table] = rows[0]?.n ?? 0;
  }
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pgboss.job`.execute(database.db);
  counts["pgboss.job"] = rows[0]?.n ?? 0;
  return counts;
}

export type Expected = {
  calls: number;
  /** Calls whose "to" is not a valid US number (listed as failures). */
  invalidPhones: number;
  phones: Map<string, "redial" | "sale" | "dnc" | "not_found">;
  count(decision: string): number;
};

/**
 * What the backfill of RANGE must find, from the simulator's own generator: the calls in range
 * (history.lowerBound), their outcomes (normalized by the one rule), and each phone's derived
 * Convoso leads and DNC entries (the simulator's ConvosoStore).
 */
export async function expectedFor(sim: RunningSimulator, range = RANGE): Promise<Expected> {
  const { fromMs, toMs } = campaignRange(range.from, range.to, DEFAULT_SCHEDULER_CONFIG.timezone, new Date());
  const history = sim.state.history;
  const first = history.lowerBound(fromMs);
  const last = history.lowerBound(toMs);
  const finals = new Map<string, "SALE" | "DNC" | null>();
  let invalidPhones = 0;
  for (let i = first; i < last; i++) {
    const call = history.call(i);
    if (normalizePhone(call.to) !== call.to) {
      invalidPhones++;
      continue;
    }
    const outcome = normalizeOutcome(call, { answeredMinSeconds: 20 }).outcome;
    const before = finals.get(call.to) ?? null;
    finals.set(call.to, outcome === "DNC" || before === "DNC" ? "DNC" : outcome === "SALE" ? "SALE" : before);
  }
  const statuses = await accountStatuses(sim);
  const phones = new Map<string, "redial" | "sale" | "dnc" | "not_found">();
  for (const [phone, historyFinal] of finals) phones.set(phone, decide(sim, phone, historyFinal, statuses));
  return {
    calls: last - first,
    invalidPhones,
    phones,
    count: (decision) => [...phones.values()].filter((d) => d === decision).length,
  };
}

function decide(
  sim: RunningSimulator,
  phone: string,
  historyFinal: "SALE" | "DNC" | null,
  statuses: readonly ConvosoStatus[],
): "redial" | "sale" | "dnc" | "not_found" {
  const lead = sim.state.convoso.leadsByPhone(phone)[0];
  const kind = lead ? classifyConvosoStatus(lead.status, statuses) : undefined;
  if (historyFinal === "DNC" || sim.state.convoso.findDnc(phone, "0") || kind === "dnc") return "dnc";
  if (kind === "sale" || historyFinal === "SALE") return "sale";
  return lead ? "redial" : "not_found";
}

async function accountStatuses(sim: RunningSimulator): Promise<ConvosoStatus[]> {
  const client = createConvosoClient({ baseUrl: sim.url, authToken: sim.state.options.convosoToken });
  return client.searchStatuses();
}
