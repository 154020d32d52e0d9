import type { BackfillCall } from "./call-to-attempt.ts";

/**
 * GLOSSARY of the backfill
 * - Run: one `redial backfill …` over one source; its checkpoint (phase, cursor, counters) lives in
 *   backfill_runs so `--resume` continues it.
 * - Import (phase 1): every call of the source becomes a call attempt (origin and result_source
 *   'backfill'); a phone without a lead gets one, paused with waiting reason "backfill: …" until
 *   phase 2 decides.
 * - Check (phase 2): every unique phone of the run is looked up in Convoso and decided:
 *   redial (queued), sale, dnc (our DNC list too), not_found (listed, left paused), error.
 */

/** Where the calls come from. */
export type BackfillSourceName = "bland" | "webhook-file" | "webhook-events";

/** One item a source yields: a call to import, or something it could not read. */
export type SourceItem =
  | { kind: "call"; call: BackfillCall; position: unknown; fullFetched?: boolean }
  | { kind: "bad"; stage: FailureStage; item: string; reason: string; position: unknown };

export type FailureStage = "call" | "line" | "event" | "phone";

/** A stream of calls that can start again from a cursor it produced. */
export interface CallSource {
  readonly name: BackfillSourceName;
  /** Identifies what is read (--resume finds the open run with the same key). */
  readonly key: string;
  /** Items after `cursor` (all items when null), oldest first. */
  read(cursor: unknown): AsyncIterable<SourceItem>;
  /** The cursor once `position` is committed on top of `cursor`. */
  advance(cursor: unknown, position: unknown): unknown;
  /** A guess of the item count for the progress bar (never trusted for anything else). */
  estimate?(): Promise<number | undefined>;
}

/** Import counters (phase 1), stored with the checkpoint. */
export interface ImportCounters {
  /** Calls the source yielded (each call once). */
  fetched: number;
  /** Of those, fetched again in full with GET /v1/calls/:id. */
  fullFetched: number;
  /** New call attempts written (or, dry-run, that would be). */
  imported: number;
  /** Calls we already had (same bland_call_id). */
  alreadyKnown: number;
  /** Calls still in progress at Bland: skipped. */
  notEnded: number;
  /** Items that failed (listed in failures). */
  failed: number;
  /** Leads created for phones we did not know. */
  leadsCreated: number;
}

export const EMPTY_COUNTERS: Readonly<ImportCounters> = Object.freeze({
  fetched: 0,
  fullFetched: 0,
  imported: 0,
  alreadyKnown: 0,
  notEnded: 0,
  failed: 0,
  leadsCreated: 0,
});

export type ConvosoLookup = "found" | "not_found" | "error" | "skipped";
export type PhoneDecision = "redial" | "sale" | "dnc" | "not_found" | "error";

/**
 * What phase 2 did to the phone's lead:
 * added (activated, dial job scheduled), already_queued (active already), kept_completed (a
 * completed lead is never reactivated), kept_paused (paused by hand: left alone), completed_sale,
 * completed_dnc, already_completed (skip decided, lead was completed already), left_paused
 * (not found or error: a lead the backfill created keeps its history and stays paused), untouched
 * (not found or error, and the lead was not the backfill's: left as it was).
 */
export type PhoneResult =
  | "added"
  | "already_queued"
  | "kept_completed"
  | "kept_paused"
  | "completed_sale"
  | "completed_dnc"
  | "already_completed"
  | "left_paused"
  | "untouched";

export interface BackfillProgress {
  phase: "import" | "check";
  done: number;
  /** An estimate during import (Bland's count), exact during check. */
  total: number | undefined;
}

export interface PhoneListEntry {
  phone: string;
  reason: string | null;
}

export interface BackfillSummary {
  runId: number | null;
  source: BackfillSourceName;
  key: string;
  dryRun: boolean;
  /** True when the run stopped early (signal); --resume continues it. */
  interrupted: boolean;
  calls: ImportCounters;
  uniquePhones: number;
  convoso: { found: number; notFound: number; errors: number; skipped: number };
  decisions: { shouldRedial: number; skipSale: number; skipDnc: number; notFound: number; errors: number };
  queue: { added: number; alreadyQueued: number; keptCompleted: number; keptPaused: number };
  leadsCompleted: { sale: number; dnc: number };
  dncPhonesAdded: number;
  maxPerDay: number;
  /** (added + already queued) × REDIAL_MAX_PER_DAY. */
  expectedDailyCalls: number;
  failures: { count: number; first: { stage: string; item: string; reason: string }[] };
  /** Filled when asked (--json): every phone by what happened to it. */
  phones?: {
    added: string[];
    alreadyQueued: string[];
    skipSale: string[];
    skipDnc: string[];
    notFound: PhoneListEntry[];
    errors: PhoneListEntry[];
  };
}
