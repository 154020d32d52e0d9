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

/**
 * What a Convoso status means for redialing: a SALE or a DNC completes the lead, a bad number parks
 * it like Bland's FAILED bad-number cooldown, anything else leaves it to its schedule.
 */
export type ConvosoStatusClass = "sale" | "dnc" | "bad_number" | "other";

export const CONVOSO_STATUS_CLASSES: readonly ConvosoStatusClass[] = ["sale", "dnc", "bad_number", "other"];

/** A status's class and why (the account flag, the override, or the name that decided). */
export interface ConvosoStatusReading {
  code: string;
  treatment: ConvosoStatusClass;
  reason: string;
}

/** Per-code treatments from CONVOSO_STATUS_MAP (`S:sale,WRONG:bad_number`), winning over everything. */
export type ConvosoStatusOverrides = Readonly<Record<string, ConvosoStatusClass>>;

/**
 * Codes that say the NUMBER is bad, not what the person wants (outcome-facts.md): wrong number,
 * bad phone number, disconnected, and the carrier's "number not found" that the production account
 * files in its DNC family (DNCNFD). They win over the account's dnc flag.
 */
export const BAD_NUMBER_STATUSES: readonly string[] = ["WRONG", "BPN", "DC", "DNCNFD"];

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
 * How a status code is treated, first match wins:
 * 1. CONVOSO_STATUS_MAP's `CODE:treatment` for the code;
 * 2. a bad-number code (WRONG, BPN, DC, DNCNFD) → bad_number;
 * 3. the account's flags when its table lists the code: dnc=Y → dnc; success=Y and final=Y → sale
 *    (success alone also marks "qualified"/"interested" on some accounts: not a sale);
 * 4. a code the table does not list (or no table): SALE → sale, DNC-prefixed → dnc; else other.
 */
export function readConvosoStatus(
  code: string,
  statuses: readonly ConvosoStatus[] = [],
  overrides: ConvosoStatusOverrides = {},
): ConvosoStatusReading {
  const wanted = code.trim().toUpperCase();
  const reading = (treatment: ConvosoStatusClass, reason: string) => ({ code: wanted, treatment, reason });
  const override = overrides[wanted];
  if (override) return reading(override, `CONVOSO_STATUS_MAP ${wanted}:${override}`);
  if (BAD_NUMBER_STATUSES.includes(wanted))
    return reading("bad_number", `${wanted} is a bad-number status (the number, not the person)`);
  const known = statuses.find((s) => s.code.trim().toUpperCase() === wanted);
  if (known) return byFlags(known, reading);
  if (wanted === "SALE") return reading("sale", "SALE by name (not in the account's status table)");
  if (wanted.startsWith("DNC"))
    return reading("dnc", `${wanted} by name: the DNC family (not in the account's status table)`);
  return reading("other", `${wanted} is not in the account's status table`);
}

function byFlags(
  status: ConvosoStatus,
  reading: (treatment: ConvosoStatusClass, reason: string) => ConvosoStatusReading,
): ConvosoStatusReading {
  const named = `${status.code} (${status.name})`;
  if (status.dnc) return reading("dnc", `${named}: account flag dnc=Y`);
  if (status.success && status.final) return reading("sale", `${named}: account flags success=Y, final=Y`);
  if (status.success) return reading("other", `${named}: success=Y but not final (qualified, not sold)`);
  return reading("other", `${named}: account flags neither success nor dnc`);
}

/** The class alone (see readConvosoStatus). */
export function classifyConvosoStatus(
  code: string,
  statuses?: readonly ConvosoStatus[],
  overrides?: ConvosoStatusOverrides,
): ConvosoStatusClass {
  return readConvosoStatus(code, statuses, overrides).treatment;
}
