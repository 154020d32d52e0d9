import type { BlandClient, CallListItem } from "@redial/bland";
import { reasonOf } from "./backfill-errors.ts";
import type { CallSource, SourceItem } from "./backfill-types.ts";
import { type BackfillCall, listItemSuffices } from "./call-to-attempt.ts";
import { mapConcurrent } from "./map-concurrent.ts";

export interface BlandSourceOptions {
  /** [fromMs, toMs): the campaign days of --from..--to as instants. */
  fromMs: number;
  toMs: number;
  /** e.g. "2025-12-01..2026-01-07" */
  key: string;
  /** GET /v1/calls/:id in flight at once (default 8). */
  concurrency?: number;
  /** Fetch every call in full (true cost: the list item has no price), not only when needed. */
  fullCalls?: boolean;
  pageSize?: number;
  windowHours?: number;
}

/** Where the Bland import stands: the last committed created_at and the call ids committed at it. */
interface BlandCursor {
  at: string;
  ids: string[];
}

interface BlandPosition {
  at: string;
  id: string;
}

/**
 * Bland's call history over a range, oldest first (iterateCalls: date windows, de-duplicated by
 * call id, never trusting `count`); list items that cannot decide the outcome (listItemSuffices)
 * are fetched in full, `concurrency` at a time, in order.
 */
export function blandCallSource(bland: BlandClient, options: BlandSourceOptions): CallSource {
  const concurrency = options.concurrency ?? 8;
  return {
    name: "bland",
    key: options.key,
    read: (cursor) => readCalls(bland, options, concurrency, cursor as BlandCursor | null),
    advance: (cursor, position) => {
      const c = cursor as BlandCursor | null;
      const p = position as BlandPosition;
      if (c && Date.parse(c.at) === Date.parse(p.at)) return { at: c.at, ids: [...c.ids, p.id] };
      return { at: p.at, ids: [p.id] };
    },
    estimate: async () => {
      const page = await bland.listCalls({
        startDate: new Date(options.fromMs).toISOString(),
        endDate: new Date(options.toMs).toISOString(),
        limit: 1,
      });
      return page.count;
    },
  };
}

async function* readCalls(
  bland: BlandClient,
  options: BlandSourceOptions,
  concurrency: number,
  cursor: BlandCursor | null,
): AsyncGenerator<SourceItem> {
  const resumeMs = cursor ? Date.parse(cursor.at) : Number.NaN;
  const committed = new Set(cursor?.ids ?? []);
  const calls = bland.iterateCalls({
    startDate: new Date(Number.isFinite(resumeMs) ? resumeMs : options.fromMs).toISOString(),
    endDate: new Date(options.toMs).toISOString(),
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    ...(options.windowHours ? { windowHours: options.windowHours } : {}),
  });
  let chunk: CallListItem[] = [];
  const chunkSize = concurrency * 4;
  for await (const item of calls) {
    if (Date.parse(item.created_at) === resumeMs && committed.has(item.call_id)) continue;
    chunk.push(item);
    if (chunk.length < chunkSize) continue;
    yield* await resolveChunk(bland, chunk, concurrency, options.fullCalls ?? false);
    chunk = [];
  }
  yield* await resolveChunk(bland, chunk, concurrency, options.fullCalls ?? false);
}

function resolveChunk(
  bland: BlandClient,
  chunk: readonly CallListItem[],
  concurrency: number,
  fullCalls: boolean,
): Promise<SourceItem[]> {
  return mapConcurrent(chunk, concurrency, async (item): Promise<SourceItem> => {
    const position: BlandPosition = { at: item.created_at, id: item.call_id };
    const listed = item as BackfillCall;
    if (!fullCalls && listItemSuffices(listed)) return { kind: "call", call: listed, position };
    try {
      return {
        kind: "call",
        call: (await bland.getCall(item.call_id)) as BackfillCall,
        position,
        fullFetched: true,
      };
    } catch (error) {
      return {
        kind: "bad",
        stage: "call",
        item: item.call_id,
        reason: `GET /v1/calls/${item.call_id}: ${reasonOf(error)}`,
        position,
      };
    }
  });
}
