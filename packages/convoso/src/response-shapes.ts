import { ConvosoError } from "./convoso-error.ts";

export interface EntryList {
  /** The `total` Convoso reported, or the number of entries when it reported none. */
  total: number;
  entries: unknown[];
}

/**
 * The list in a search answer, whatever its shape: `{data:{entries}}`, `{data:{results}}`,
 * `{data:[…]}`, `{entries}` / `{results}` at the top, or a bare array. `what` names the endpoint
 * in the error thrown when none of these fits.
 */
export function extractEntries(body: unknown, what: string): EntryList {
  const list = findList(body) ?? findList(isRecord(body) ? body.data : undefined);
  if (list === undefined) {
    throw new ConvosoError(
      "server",
      `Convoso's answer to ${what} holds no list of entries; the API may have changed`,
      {
        status: 200,
      },
    );
  }
  return list;
}

function findList(value: unknown): EntryList | undefined {
  if (Array.isArray(value)) return { total: value.length, entries: value };
  if (!isRecord(value)) return undefined;
  const entries = value.entries ?? value.results;
  if (!Array.isArray(entries)) return undefined;
  return { total: toCount(value.total) ?? entries.length, entries };
}

function toCount(value: unknown): number | undefined {
  if (typeof value !== "number" && typeof value !== "string") return undefined;
  const n = Number(value);
  return value !== "" && Number.isInteger(n) && n >= 0 ? n : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An id or count as a string: Convoso sends them as strings, sometimes as numbers. */
export function idString(value: unknown): string | null {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}
