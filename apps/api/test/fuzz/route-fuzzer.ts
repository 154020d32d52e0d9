import type { Db } from "@redial/db";
import fc from "fast-check";
import type { FastifyInstance } from "fastify";
import { tableCounts } from "../table-counts.ts";
import { type Credentials, type FuzzRequest, operationsOf, requestOf } from "./request-arbitraries.ts";

export interface FuzzOptions {
  runs: number;
  seed?: number;
}

export interface FuzzSummary {
  runs: number;
  seed: number;
  /** "POST /v1/leads" → status → count */
  statuses: Record<string, Record<number, number>>;
  /** fast-check's report when an invariant broke (the shrunk request), else null */
  failure: string | null;
}

/**
 * Requests generated from the app's own OpenAPI document (`app.swagger()`: a new route is covered
 * once it is registered), each checked against the edge's invariants:
 * - no answer is a 5xx;
 * - every refusal (4xx) reads exactly `{error: {code, message}}`, code in snake_case;
 * - a refusal changes no row of any table, except the one stored event of a webhook whose body
 *   was read before it was refused, and that event is marked with its result;
 * - no stored webhook event is left without a result.
 */
export async function fuzzRoutes(
  app: FastifyInstance,
  db: Db,
  credentials: Credentials,
  options: FuzzOptions,
): Promise<FuzzSummary> {
  await app.ready();
  const operations = operationsOf(app.swagger() as Parameters<typeof operationsOf>[0]);
  const seed = options.seed ?? Date.now() % 2_147_483_647;
  const statuses: FuzzSummary["statuses"] = {};
  const request = fc.constantFrom(...operations).chain((operation) => requestOf(operation, credentials));
  const details = await fc.check(
    fc.asyncProperty(request, async (generated) => {
      const status = await sendAndCheck(app, db, generated);
      const route = `${generated.method} ${generated.operation.path}`;
      const byStatus = statuses[route] ?? {};
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      statuses[route] = byStatus;
    }),
    { numRuns: options.runs, seed, endOnFailure: false },
  );
  return {
    runs: details.numRuns,
    seed,
    statuses,
    failure: details.failed ? (fc.defaultReportMessage(details) ?? "failed") : null,
  };
}

async function sendAndCheck(app: FastifyInstance, db: Db, request: FuzzRequest): Promise<number> {
  const before = await tableCounts(db);
  const response = await app.inject({
    method: request.method as "GET",
    url: request.url,
    headers: request.headers,
    ...(request.payload !== undefined ? { payload: request.payload } : {}),
  });
  const label = `${request.method} ${request.url.slice(0, 120)} → ${response.statusCode}`;
  if (process.env.FUZZ_DEBUG) console.log(label, response.body.slice(0, 160));
  if (response.statusCode >= 500) throw new Error(`${label}: a 5xx: ${response.body.slice(0, 300)}`);
  if (response.statusCode >= 400) {
    const body = parseJson(response.body);
    const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const shapeOk =
      body !== undefined &&
      Object.keys(body as object).length === 1 &&
      error !== undefined &&
      Object.keys(error).length === 2 &&
      typeof error.code === "string" &&
      /^[a-z][a-z0-9_]*$/.test(error.code) &&
      typeof error.message === "string" &&
      error.message.length > 0;
    if (!shapeOk) throw new Error(`${label}: not {error:{code,message}}: ${response.body.slice(0, 300)}`);
    const after = await tableCounts(db);
    const changed = Object.keys(after).filter((table) => after[table] !== before[table]);
    const storedEvent = changed.length === 1 && changed[0] === "public.webhook_events";
    if (
      changed.length > 0 &&
      !(storedEvent && (after[changed[0] as string] ?? 0) - (before[changed[0] as string] ?? 0) === 1)
    )
      throw new Error(
        `${label}: a refusal wrote rows: ${changed.map((t) => `${t} ${before[t]}→${after[t]}`).join(", ")}`,
      );
  }
  const pending = await db
    .selectFrom("webhook_events")
    .select("id")
    .where("result", "is", null)
    .limit(1)
    .execute();
  if (pending.length > 0)
    throw new Error(`${label}: webhook event ${pending[0]?.id} was stored and left unmarked`);
  return response.statusCode;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The summary as a few lines: runs, seed, and each route's answers by status. */
export function formatSummary(summary: FuzzSummary): string {
  const total: Record<number, number> = {};
  const lines = Object.entries(summary.statuses)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([route, byStatus]) => {
      for (const [status, n] of Object.entries(byStatus))
        total[Number(status)] = (total[Number(status)] ?? 0) + n;
      const counts = Object.entries(byStatus)
        .map(([status, n]) => `${status}×${n}`)
        .join(" ");
      return `  ${route.padEnd(40)} ${counts}`;
    });
  const totals = Object.entries(total)
    .map(([status, n]) => `${status}×${n}`)
    .join(" ");
  return [
    `fuzz: ${summary.runs} requests over ${lines.length} routes, seed ${summary.seed}: ${summary.failure ? "FAILED" : "no 5xx, every refusal {error:{code,message}}, no rows written by a refusal"}`,
    `  all: ${totals}`,
    ...lines,
    ...(summary.failure ? [summary.failure] : []),
  ].join("\n");
}
