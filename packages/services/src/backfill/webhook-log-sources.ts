import { createReadStream } from "node:fs";
import { access } from "node:fs/promises";
import { createInterface } from "node:readline";
import { type Db, listBlandEvents } from "@redial/db";
import { SourceUnreadable } from "./backfill-errors.ts";
import type { CallSource, SourceItem } from "./backfill-types.ts";
import type { BackfillCall } from "./call-to-attempt.ts";

/**
 * The webhook-log backfill's sources: a JSON Lines file of Bland call objects (one per line, read
 * line by line), or our own stored webhook_events (source 'bland'), a page at a time. Calls
 * created before `fromMs` are passed over.
 */

/** A JSON Lines file; a bad line is reported with its number and never stops the run. */
export async function jsonlCallSource(
  path: string,
  options: { fromMs?: number | undefined },
): Promise<CallSource> {
  await access(path).catch((error: unknown) => {
    throw new SourceUnreadable(path, error instanceof Error ? error.message : String(error));
  });
  return {
    name: "webhook-file",
    key: `${path}${options.fromMs === undefined ? "" : ` since ${new Date(options.fromMs).toISOString()}`}`,
    read: (cursor) => readLines(path, (cursor as { line: number } | null)?.line ?? 0, options.fromMs),
    advance: (_cursor, position) => position,
  };
}

async function* readLines(
  path: string,
  afterLine: number,
  fromMs: number | undefined,
): AsyncGenerator<SourceItem> {
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (line <= afterLine || text.trim() === "") continue;
    const position = { line };
    const parsed = parseCallLine(text);
    if (typeof parsed === "string") {
      yield { kind: "bad", stage: "line", item: `line ${line}`, reason: parsed, position };
    } else if (isInRange(parsed, fromMs)) {
      yield { kind: "call", call: parsed, position };
    }
  }
}

/** The call object on one line, or why it is not one. */
export function parseCallLine(text: string): BackfillCall | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not a JSON object";
  const call = value as BackfillCall;
  if (typeof (call.call_id ?? call.c_id) !== "string") return "no call_id";
  return call;
}

/** Our stored Bland webhook events, oldest first (duplicates of one call are imported once). */
export function webhookEventSource(db: Db, options: { fromMs?: number | undefined }): CallSource {
  const since = options.fromMs === undefined ? undefined : new Date(options.fromMs);
  return {
    name: "webhook-events",
    key: since ? `since ${since.toISOString()}` : "all",
    read: (cursor) => readEvents(db, (cursor as { afterId: number } | null)?.afterId ?? 0, since),
    advance: (_cursor, position) => position,
  };
}

async function* readEvents(db: Db, afterId: number, since: Date | undefined): AsyncGenerator<SourceItem> {
  let last = afterId;
  for (;;) {
    const events = await listBlandEvents(db, { afterId: last, limit: 500, ...(since ? { since } : {}) });
    for (const event of events) {
      last = event.id;
      const position = { afterId: event.id };
      const body = event.body as BackfillCall | null;
      if (typeof body !== "object" || body === null || typeof (body.call_id ?? body.c_id) !== "string") {
        yield {
          kind: "bad",
          stage: "event",
          item: `event ${event.id}`,
          reason: "body is not a Bland call object",
          position,
        };
      } else if (isInRange(body, since?.getTime())) {
        yield { kind: "call", call: body, position };
      }
    }
    if (events.length < 500) return;
  }
}

function isInRange(call: BackfillCall, fromMs: number | undefined): boolean {
  if (fromMs === undefined) return true;
  const created = typeof call.created_at === "string" ? Date.parse(call.created_at) : Number.NaN;
  return !Number.isFinite(created) || created >= fromMs;
}
