import type { Db } from "@redial/db";
import { OUTCOMES, type Outcome } from "@redial/domain";
import { type RawBuilder, sql } from "kysely";

/**
 * Where a lead stands: every lead is in exactly one (README "Where a lead stands"). A final
 * outcome comes first; of the leads without one, status paused is `paused`, any other status
 * (active, daily_max_reached) is `still_redialing`. reporting.leads.standing is the same CASE.
 */
export const STANDINGS = ["completed_sale", "completed_dnc", "still_redialing", "paused"] as const;
export type Standing = (typeof STANDINGS)[number];

/** The lead statuses the dialer calls: the one definition of "still redialing" (and of "active"). */
export const STILL_REDIALING_STATUSES = ["active", "daily_max_reached"] as const;

export type OutcomeKey = Lowercase<Outcome>;

/** Still-redialing leads by last outcome; `never_called` has none, `other` an unrecognised one. */
export type LastOutcomeCounts = Record<OutcomeKey | "never_called" | "other", number>;

export function outcomeKey(outcome: Outcome): OutcomeKey {
  return outcome.toLowerCase() as OutcomeKey;
}

/** The counts every report of leads shares, over one set of leads. */
export interface LeadCounts extends Record<Standing, number> {
  leads: number;
  ever_transferred: number;
  transferred_completed_sale: number;
  transferred_completed_dnc: number;
  transferred_still_redialing: number;
  transferred_paused: number;
  still_redialing_by_last_outcome: LastOutcomeCounts;
}

const standingOf = sql`CASE WHEN final_outcome = 'SALE' THEN 'completed_sale'
  WHEN final_outcome = 'DNC' THEN 'completed_dnc'
  WHEN status = 'paused' THEN 'paused'
  ELSE 'still_redialing' END`;

/**
 * Counts of the leads in `groups`, rows of (status, final_outcome, last_outcome, ever_transferred, n)
 * read from the report_leads rollup: a few thousand rows whatever the number of leads.
 */
export async function countLeads(db: Db, groups: RawBuilder<unknown>): Promise<LeadCounts> {
  const sum = (name: string, where: RawBuilder<unknown>) =>
    sql`coalesce(sum(n) FILTER (WHERE ${where}), 0)::int AS ${sql.ref(name)}`;
  const columns = [
    ...STANDINGS.map((s) => sum(s, sql`standing = ${s}`)),
    sum("ever_transferred", sql`ever_transferred`),
    ...STANDINGS.map((s) => sum(`transferred_${s}`, sql`ever_transferred AND standing = ${s}`)),
    sum("never_called", sql`standing = 'still_redialing' AND last_outcome IS NULL`),
    ...OUTCOMES.map((o) =>
      sum(`o_${outcomeKey(o)}`, sql`standing = 'still_redialing' AND last_outcome = ${sql.lit(o)}`),
    ),
  ];
  const { rows } = await sql<Record<string, number>>`
    SELECT coalesce(sum(n), 0)::int AS leads, ${sql.join(columns)}
    FROM (SELECT ${standingOf} AS standing, last_outcome, ever_transferred, sum(n) AS n
          FROM (${groups}) g GROUP BY 1, 2, 3) s`.execute(db);
  const row = rows[0];
  if (!row) throw new Error("lead counts: the aggregate returned no row");
  const byLastOutcome = { never_called: row.never_called ?? 0, other: 0 } as LastOutcomeCounts;
  for (const o of OUTCOMES) byLastOutcome[outcomeKey(o)] = row[`o_${outcomeKey(o)}`] ?? 0;
  const named = Object.values(byLastOutcome).reduce((total, n) => total + n, 0);
  byLastOutcome.other = (row.still_redialing ?? 0) - named;
  const pick = (name: string) => row[name] ?? 0;
  return {
    leads: pick("leads"),
    completed_sale: pick("completed_sale"),
    completed_dnc: pick("completed_dnc"),
    still_redialing: pick("still_redialing"),
    paused: pick("paused"),
    ever_transferred: pick("ever_transferred"),
    transferred_completed_sale: pick("transferred_completed_sale"),
    transferred_completed_dnc: pick("transferred_completed_dnc"),
    transferred_still_redialing: pick("transferred_still_redialing"),
    transferred_paused: pick("transferred_paused"),
    still_redialing_by_last_outcome: byLastOutcome,
  };
}

/** Every lead, from the report_leads rollup. */
export function allLeadGroups(): RawBuilder<unknown> {
  return sql`SELECT status, final_outcome, last_outcome, ever_transferred, leads AS n FROM report_leads`;
}

/** A created_at range [start, end), or every lead. */
export type CreatedRange = { start: RawBuilder<Date>; end: RawBuilder<Date> } | "all";

function createdIn(range: CreatedRange): RawBuilder<boolean> {
  return range === "all" ? sql`true` : sql`l.created_at >= ${range.start} AND l.created_at < ${range.end}`;
}

/**
 * Leads that reached their daily maximum today: flagged daily_max_reached AND called today (a flag
 * left from an earlier day by a missed reset is not today's). From today's placed calls (one day
 * of the (campaign_day, lead_id) index) to their leads.
 */
export async function countDailyMaxReachedToday(db: Db, today: string, range: CreatedRange): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n
    FROM (SELECT DISTINCT lead_id FROM call_attempts
          WHERE campaign_day = ${today}::text::date AND state <> 'not_placed') called
    JOIN leads l ON l.id = called.lead_id
    WHERE l.status = 'daily_max_reached' AND ${createdIn(range)}`.execute(db);
  return rows[0]?.n ?? 0;
}

/**
 * Leads whose phone is on our DNC list now, whatever they stand (a lead sold before its phone was
 * listed stays completed_sale): read from the list's side, one phone lookup per listed number.
 */
export async function countOnDncList(db: Db, range: CreatedRange): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM dnc_phones d JOIN leads l ON l.phone = d.phone
    WHERE ${createdIn(range)}`.execute(db);
  return rows[0]?.n ?? 0;
}
