import { ConvosoError } from "./convoso-error.ts";
import { extractEntries, isRecord } from "./response-shapes.ts";

/** One status (disposition) of the account, from /status/search; Convoso's Y/N flags as booleans. */
export interface ConvosoStatus {
  /** The abbreviation sent in /leads/update (SALE, NA, DNCL…). */
  code: string;
  name: string;
  final: boolean;
  /** Counts as a sale. */
  success: boolean;
  /** Puts the number on the do-not-call list. */
  dnc: boolean;
  callback: boolean;
  contact: boolean;
  voicemail: boolean;
  reached: boolean;
}

/** What a Convoso status means for redialing. */
export type ConvosoStatusClass = "sale" | "dnc" | "other";

export function parseStatuses(body: unknown): ConvosoStatus[] {
  return extractEntries(body, "/status/search").entries.map(parseStatus);
}

function parseStatus(entry: unknown): ConvosoStatus {
  const raw = isRecord(entry) ? entry : {};
  const code = raw.status ?? raw.code;
  if (typeof code !== "string" || code === "") {
    throw new ConvosoError(
      "server",
      "Convoso returned a status without its abbreviation; the API may have changed",
      {
        status: 200,
      },
    );
  }
  return {
    code,
    name: typeof raw.name === "string" ? raw.name : code,
    final: flag(raw.final),
    success: flag(raw.success),
    dnc: flag(raw.dnc),
    callback: flag(raw.callback),
    contact: flag(raw.contact),
    voicemail: flag(raw.voicemail),
    reached: flag(raw.reached),
  };
}

/** Convoso's "Y"/"N" (tolerating true/false and 1/0). */
function flag(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value === 1;
  return typeof value === "string" && ["Y", "YES", "TRUE", "1"].includes(value.trim().toUpperCase());
}

/**
 * Sale, DNC or neither for a status code. When the account's statuses are given and list the code,
 * its flags decide (dnc first: a number flagged both must still go on the DNC list; then success).
 * Otherwise the names decide: SALE is a sale, any DNC-prefixed code (DNC, DNCL, DNCC, DNCW, DNCQ) is DNC.
 */
export function classifyConvosoStatus(code: string, statuses?: readonly ConvosoStatus[]): ConvosoStatusClass {
  const wanted = code.trim().toUpperCase();
  const known = statuses?.find((s) => s.code.trim().toUpperCase() === wanted);
  if (known !== undefined) return known.dnc ? "dnc" : known.success ? "sale" : "other";
  if (wanted === "SALE") return "sale";
  if (wanted.startsWith("DNC")) return "dnc";
  return "other";
}
