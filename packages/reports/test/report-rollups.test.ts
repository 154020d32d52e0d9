import { OUTCOMES } from "@redial/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../db/src/testing/test-database.ts";
import { breakdownReport, capacityReport, rangeReport, totalsReport } from "../src/index.ts";
import { randomHistory } from "./random-history.ts";
import { expectBreakdownAddsUp, expectRangeAddsUp, expectTotalsAddUp } from "./report-partitions.ts";

/**
 * The reports read rollups kept by triggers (migration 0005). Here random leads and attempts go
 * through every kind of write the system makes (dial loop transitions, backfill inserts, bulk
 * updates, the daily reset, deletes that cascade), then each report is compared with plain SQL
 * over leads and call_attempts, and each rollup with a rebuild from scratch.
 */
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await randomHistory(t, 20260105);
});
afterAll(async () => t.drop());

const PERIODS = [
  { from: "2026-01-04", to: "2026-01-09", timezone: "America/New_York", today: "2026-01-07" },
  { from: "2026-01-05", to: "2026-01-06", timezone: "America/New_York", today: "2026-01-06" },
  { from: "2026-01-06", to: "2026-01-07", timezone: "Asia/Kolkata", today: "2026-01-07" },
  { from: "2026-01-03", to: "2026-01-08", timezone: "Asia/Kathmandu", today: "2026-01-05" },
];

type Period = (typeof PERIODS)[number];

const bounds = (p: Period) =>
  sql`created_at >= (${p.from}::date::timestamp AT TIME ZONE ${p.timezone}::text)
      AND created_at < ((${p.to}::date + 1)::timestamp AT TIME ZONE ${p.timezone}::text)`;

/** The breakdown's README definitions, one by one, as plain SQL over leads, call_attempts and dnc_phones. */
async function plainBreakdown(p: Period) {
  const { rows } = await sql<Record<string, number>>`
    SELECT count(*)::int AS leads_in_period,
           count(*) FILTER (WHERE final_outcome = 'SALE')::int AS completed_sale,
           count(*) FILTER (WHERE final_outcome = 'DNC')::int AS completed_dnc,
           count(*) FILTER (WHERE status IN ('active', 'daily_max_reached'))::int AS still_redialing,
           count(*) FILTER (WHERE status = 'paused')::int AS paused,
           count(*) FILTER (WHERE final_outcome IS NULL)::int AS non_sale_non_dnc,
           count(*) FILTER (WHERE final_outcome IS DISTINCT FROM 'SALE')::int AS total_non_sale,
           count(*) FILTER (WHERE final_outcome IS DISTINCT FROM 'DNC')::int AS total_non_dnc,
           count(*) FILTER (WHERE ever AND status IN ('active', 'daily_max_reached'))::int AS transferred_still_redialing,
           count(*) FILTER (WHERE ever)::int AS ever_transferred,
           count(*) FILTER (WHERE ever AND final_outcome = 'SALE')::int AS transferred_completed_sale,
           count(*) FILTER (WHERE ever AND final_outcome = 'DNC')::int AS transferred_completed_dnc,
           count(*) FILTER (WHERE ever AND status = 'paused')::int AS transferred_paused,
           count(*) FILTER (WHERE status = 'daily_max_reached' AND EXISTS (
             SELECT 1 FROM call_attempts a WHERE a.lead_id = l.id AND a.state <> 'not_placed'
               AND a.campaign_day = ${p.today}::date))::int AS daily_max_reached_today,
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM dnc_phones d WHERE d.phone = l.phone))::int AS on_dnc_list
    FROM leads l,
         LATERAL (SELECT EXISTS (SELECT 1 FROM call_attempts a WHERE a.lead_id = l.id AND a.transferred) AS ever) t
    WHERE ${bounds(p)}`.execute(t.db);
  const last = await sql<{ key: string | null; n: number }>`
    SELECT last_outcome AS key, count(*)::int AS n FROM leads
    WHERE ${bounds(p)} AND status IN ('active', 'daily_max_reached') GROUP BY 1`.execute(t.db);
  const counts: Record<string, number> = { never_called: 0, other: 0 };
  for (const o of OUTCOMES) counts[o.toLowerCase()] = 0;
  for (const { key, n } of last.rows) {
    const name =
      key === null
        ? "never_called"
        : (OUTCOMES as readonly string[]).includes(key)
          ? key.toLowerCase()
          : "other";
    counts[name] = (counts[name] ?? 0) + n;
  }
  return { ...rows[0], still_redialing_by_last_outcome: counts };
}

/** The range report's README definitions per campaign day, as plain SQL over call_attempts and leads. */
async function plainRangeDays(p: Period) {
  const outcomes = sql.join(
    OUTCOMES.map(
      (o) => sql`count(*) FILTER (WHERE a.outcome = ${o})::int AS ${sql.ref(`o_${o.toLowerCase()}`)}`,
    ),
  );
  const completedOn = (outcome: string) =>
    sql`(SELECT count(*)::int FROM leads
         WHERE final_outcome = ${outcome} AND (completed_at AT TIME ZONE ${p.timezone}::text)::date = d::date)`;
  const { rows } = await sql<Record<string, number | string>>`
    SELECT d::date::text AS day,
      (SELECT count(*)::int FROM leads WHERE (created_at AT TIME ZONE ${p.timezone}::text)::date = d::date) AS leads_created,
      count(a.id)::int AS calls_placed,
      count(*) FILTER (WHERE a.state = 'ended')::int AS calls_ended,
      count(*) FILTER (WHERE a.state IN ('dialing', 'in_progress'))::int AS calls_in_progress,
      (count(DISTINCT a.lead_id) FILTER (WHERE a.campaign_day = (
         SELECT min(b.campaign_day) FROM call_attempts b WHERE b.lead_id = a.lead_id AND b.state <> 'not_placed')))::int
        AS first_calls,
      (count(a.id) - count(DISTINCT a.lead_id) FILTER (WHERE a.campaign_day = (
         SELECT min(b.campaign_day) FROM call_attempts b WHERE b.lead_id = a.lead_id AND b.state <> 'not_placed')))::int
        AS redials,
      count(DISTINCT a.lead_id)::int AS unique_leads_called,
      count(*) FILTER (WHERE a.answered)::int AS answered,
      count(*) FILTER (WHERE a.answered OR a.transferred)::int AS reached,
      count(*) FILTER (WHERE a.transferred)::int AS transfers,
      count(*) FILTER (WHERE a.outcome = 'TRANSFERRED')::int AS transferred,
      count(*) FILTER (WHERE a.outcome = 'SALE')::int AS sale_calls,
      ${completedOn("SALE")} AS sold_leads,
      ${completedOn("DNC")} AS dnc_leads,
      coalesce(sum(a.price), 0)::float8 AS cost, ${outcomes}
    FROM generate_series(${p.from}::date, ${p.to}::date, interval '1 day') d
    LEFT JOIN call_attempts a ON a.campaign_day = d::date AND a.state <> 'not_placed'
    GROUP BY d ORDER BY d`.execute(t.db);
  const total = await sql<{ n: number }>`
    SELECT count(DISTINCT lead_id)::int AS n FROM call_attempts
    WHERE state <> 'not_placed' AND campaign_day BETWEEN ${p.from}::date AND ${p.to}::date`.execute(t.db);
  return { days: rows, unique_total: total.rows[0]?.n };
}

/**
 * Each rollup as the reports read it (totals + pending deltas), summed per group, non-zero groups
 * only, in a stable order: for comparing the triggers' work with a compaction and a rebuild.
 */
async function rollups() {
  const q = async (view: string, keys: string, counts: string[]) =>
    (
      await sql<Record<string, unknown>>`
        SELECT ${sql.raw(keys)}, ${sql.raw(counts.map((c) => `sum(${c}) AS ${c}`).join(", "))}
        FROM ${sql.table(view)} GROUP BY ${sql.raw(keys)}
        HAVING ${sql.raw(counts.map((c) => `sum(${c}) <> 0`).join(" OR "))}
        ORDER BY ${sql.raw(keys)}`.execute(t.db)
    ).rows;
  return {
    leads: await q("report_leads", "created_hour, status, final_outcome, last_outcome, ever_transferred", [
      "leads",
    ]),
    transferred: (await sql`SELECT lead_id FROM report_transferred_leads ORDER BY lead_id`.execute(t.db))
      .rows,
    callDays: await q("report_call_days", "campaign_day, outcome", [
      "calls",
      "answered",
      "transferred",
      "cost",
    ]),
    leadDays: await q("report_lead_days", "campaign_day, prev_day", ["leads"]),
  };
}

async function pendingDeltas(): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT ((SELECT count(*) FROM report_leads_delta) + (SELECT count(*) FROM report_call_days_delta)
            + (SELECT count(*) FROM report_lead_days_delta))::int AS n`.execute(t.db);
  return rows[0]?.n ?? 0;
}

describe("reports over the trigger-kept rollups equal plain SQL over leads and call_attempts", () => {
  it("the random history has every kind of row the reports distinguish", async () => {
    const { rows } = await sql<Record<string, number>>`
      SELECT count(*) FILTER (WHERE state = 'not_placed')::int AS not_placed,
             count(*) FILTER (WHERE state = 'in_progress')::int AS in_progress,
             count(*) FILTER (WHERE origin = 'backfill')::int AS backfill,
             count(*) FILTER (WHERE transferred)::int AS transferred,
             count(*) FILTER (WHERE transferred AND NOT answered AND state = 'ended')::int AS transferred_unanswered,
             (SELECT count(*) FROM leads WHERE status = 'completed' AND completed_at IS NULL)::int AS completed_no_date,
             (SELECT count(*) FROM leads l JOIN dnc_phones d USING (phone) WHERE l.final_outcome = 'SALE')::int
               AS sold_on_dnc_list,
             (SELECT count(*) FROM leads l WHERE l.status = 'daily_max_reached' AND NOT EXISTS (
                SELECT 1 FROM call_attempts a WHERE a.lead_id = l.id AND a.campaign_day = '2026-01-07'))::int
               AS stale_daily_max
      FROM call_attempts`.execute(t.db);
    for (const [kind, n] of Object.entries(rows[0] ?? {})) expect(n, kind).toBeGreaterThan(0);
  });

  it.each(PERIODS)("breakdown $from to $to ($timezone, today $today)", async (p) => {
    const r = await breakdownReport(t.db, p);
    const plain = await plainBreakdown(p);
    expect(r).toMatchObject(plain);
    expectBreakdownAddsUp(r);
  });

  it.each(PERIODS)("range $from to $to ($timezone)", async (p) => {
    const r = await rangeReport(t.db, p);
    const plain = await plainRangeDays(p);
    expect(r.days).toHaveLength(plain.days.length);
    for (const [i, day] of r.days.entries()) {
      const { cost, ...counts } = plain.days[i] as Record<string, number>;
      const outcome_counts = Object.fromEntries(
        OUTCOMES.map((o) => [o.toLowerCase(), counts[`o_${o.toLowerCase()}`]]),
      );
      const { day: _day, ...fields } = counts;
      const expected = Object.fromEntries(Object.entries(fields).filter(([key]) => !key.startsWith("o_")));
      expect(day, String(counts.day)).toMatchObject({ ...expected, outcome_counts });
      expect(day.cost).toBeCloseTo(cost as number, 8);
      expect(day.connectivity_rate).toBe(day.calls_ended ? day.reached / day.calls_ended : null);
      expect(day.transfer_rate).toBe(day.reached ? day.transfers / day.reached : null);
      expect(day.cost_per_sale).toBe(day.sold_leads ? day.cost / day.sold_leads : null);
    }
    expect(r.total.unique_leads_called).toBe(plain.unique_total);
    expectRangeAddsUp(r);
  });

  it.each(PERIODS)("totals and capacity ($timezone, today $today)", async (p) => {
    const { rows } = await sql<Record<string, number>>`
      SELECT count(*)::int AS total_leads,
             count(*) FILTER (WHERE status IN ('active', 'daily_max_reached'))::int AS still_redialing,
             count(*) FILTER (WHERE (created_at AT TIME ZONE ${p.timezone}::text)::date >= ${p.today}::date)::int AS created_today,
             count(*) FILTER (WHERE (created_at AT TIME ZONE ${p.timezone}::text)::date = ${p.today}::date - 1)::int
               AS created_yesterday,
             count(*) FILTER (WHERE (created_at AT TIME ZONE ${p.timezone}::text)::date < ${p.today}::date - 1)::int
               AS created_older,
             count(*) FILTER (WHERE status = 'daily_max_reached' AND EXISTS (
               SELECT 1 FROM call_attempts a WHERE a.lead_id = l.id AND a.state <> 'not_placed'
                 AND a.campaign_day = ${p.today}::date))::int AS daily_max_reached_today,
             count(*) FILTER (WHERE status = 'completed')::int AS completed,
             count(*) FILTER (WHERE final_outcome = 'SALE')::int AS completed_sale,
             count(*) FILTER (WHERE final_outcome = 'DNC')::int AS completed_dnc,
             count(*) FILTER (WHERE status = 'paused')::int AS paused,
             count(*) FILTER (WHERE status IN ('active', 'daily_max_reached')
               AND EXISTS (SELECT 1 FROM call_attempts a WHERE a.lead_id = l.id AND a.transferred))::int
               AS transferred_still_redialing,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM dnc_phones d WHERE d.phone = l.phone))::int AS on_dnc_list
      FROM leads l`.execute(t.db);
    const plain = rows[0] as Record<string, number>;
    const totals = await totalsReport(t.db, p);
    expect(totals).toMatchObject(plain);
    expectTotalsAddUp(totals);
    const capacity = await capacityReport(t.db, {
      callingMinutesPerDay: 540,
      maxPerDay: 8,
      dialLimits: {
        ratePerSecond: 5,
        maxConcurrent: 100,
        maxPerHour: null,
        maxPerDay: null,
        avgCallSeconds: 90,
      },
    });
    expect(capacity.still_redialing).toBe(plain.still_redialing);
  });

  it("every rollup equals its compaction and its rebuild from scratch (report_rollups_rebuild)", async () => {
    const kept = await rollups();
    expect(await pendingDeltas()).toBeGreaterThan(0);
    await sql`SELECT report_rollups_compact()`.execute(t.db);
    expect(await pendingDeltas()).toBe(0);
    expect(await rollups()).toEqual(kept);
    await sql`SELECT report_rollups_rebuild()`.execute(t.db);
    expect(await rollups()).toEqual(kept);
  });
});
